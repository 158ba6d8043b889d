import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createEmptyPgDatabase, dropPgDatabases } from '../../test/db.ts';
import { reservePort } from '../signing/testing/pki.ts';

/**
 * Real processes for the exchange tests: `vanthu axis serve` and `vanthu serve`, each with its own
 * data directory and database (PGlite, or a fresh PostgreSQL database when TEST_DATABASE_URL is
 * set), on free ports, driven from outside like an operator and a browser would.
 */

const MAIN = path.resolve(import.meta.dirname, '../../cli/main.ts');
const children = new Set<ChildProcess>();
const databases: string[] = [];
const dirs: string[] = [];

/** A TCP port nobody listens on right now. */
export const freePort = reservePort;

/** Where a process keeps its data: a new directory, plus a new PostgreSQL database when TEST_DATABASE_URL is set. */
export async function newStorage(label: string): Promise<{ dataDir: string; databaseUrl?: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `vanthu-mp-${label}-`));
  dirs.push(dataDir);
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return { dataDir };
  const { name, url: databaseUrl } = await createEmptyPgDatabase(url, `mp_${label}`);
  databases.push(name);
  return { dataDir, databaseUrl };
}

/** Runs `vanthu ARGS…` to completion; resolves with its stdout (rejects on a non-zero exit). */
export async function vanthuCli(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [MAIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
  return stdout;
}

/** A child process whose whole output (stdout and stderr) is kept for assertions on what it logged. */
export type Proc = { child: ChildProcess; output: () => string; kill: (signal: NodeJS.Signals) => Promise<void> };

function launch(args: string[], env: Record<string, string>, banner: RegExp): Promise<Proc & { url: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  // VANTHU_MP_LOG=FILE keeps every process's output (prefixed with its command) for a post-mortem.
  const logFile = process.env.VANTHU_MP_LOG;
  const label = `[${args[0] === 'axis' ? 'axis' : env.DATA_DIR?.split('-').at(-2) ?? 'serve'} ${child.pid ?? ''}] `;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const proc: Proc = {
    child,
    output: () => out,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      children.delete(child);
    },
  };
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      if (logFile) appendFileSync(logFile, c.toString().split('\n').filter(Boolean).map((l) => `${new Date().toISOString()} ${label}${l}\n`).join(''));
      const m = banner.exec(out);
      if (m?.[1]) resolve({ ...proc, url: m[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`${args.join(' ')} exited (${String(code ?? signal)}):\n${out}`)));
  });
}

export type Axis = Proc & { endpoint: string; port: number };

/** `vanthu axis serve` on `port` (0: a free one) over `storage`; resolves once it listens. */
export async function startAxis(storage: { dataDir: string; databaseUrl?: string }, port = 0): Promise<Axis> {
  const chosen = port || await freePort();
  const args = ['axis', 'serve', '--port', String(chosen), '--log-level', 'warn', '--data-dir', storage.dataDir,
    ...(storage.databaseUrl ? ['--database-url', storage.databaseUrl] : [])];
  const proc = await launch(args, {}, /Trục liên thông đang chạy: (\S+)/);
  return { ...proc, endpoint: proc.url, port: chosen };
}

/** `vanthu axis agency add` for an agency system with a known secret. */
export async function addAxisAgency(storage: { dataDir: string; databaseUrl?: string }, code: string, name: string, secret: string): Promise<void> {
  await vanthuCli(['axis', 'agency', 'add', '--code', code, '--name', name, '--secret', secret, '--data-dir', storage.dataDir,
    ...(storage.databaseUrl ? ['--database-url', storage.databaseUrl] : [])]);
}

export type Install = Proc & { url: string; env: Record<string, string> };

/** The environment of a `vanthu serve` process over `storage` on `port`, demo province on, connector timings from `exchange`. */
export function installEnv(storage: { dataDir: string; databaseUrl?: string }, port: number, exchange: Record<string, string>): Record<string, string> {
  return {
    DATA_DIR: storage.dataDir, ...(storage.databaseUrl && { DATABASE_URL: storage.databaseUrl }), PORT: String(port), HOST: '127.0.0.1',
    VANTHU_DEMO: 'true', LOG_LEVEL: 'warn', ...exchange,
  };
}

/** `vanthu serve` with `env` (see installEnv); resolves once it listens. */
export async function startInstall(env: Record<string, string>): Promise<Install> {
  const proc = await launch(['serve'], env, /vanthu đang chạy: (\S+)/);
  return { ...proc, env };
}

/** Stops every process still running and removes the data (directories, PostgreSQL databases). */
export async function cleanUp(): Promise<void> {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  const url = process.env.TEST_DATABASE_URL;
  if (url) await dropPgDatabases(url, databases.splice(0));
}

type Body = { data?: unknown; error?: { code: string; message: string }; [k: string]: unknown };
export type Api = {
  get: <T = unknown>(p: string) => Promise<T>;
  post: <T = unknown>(p: string, body?: unknown) => Promise<T>;
  /** The raw answer (status and body), for refusals. */
  request: (method: string, p: string, body?: unknown) => Promise<{ status: number; body: Body }>;
};

/** Signs in to a running install over HTTP like the web app: session cookie + X-CSRF-Token from /api/auth/session. */
export async function signIn(baseUrl: string, login: string, password: string): Promise<Api> {
  let cookie = '';
  let csrf = '';
  const request = async (method: string, p: string, body?: unknown) => {
    const headers: Record<string, string> = { origin: baseUrl };
    if (cookie) headers.cookie = cookie;
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(p, baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const session = /vanthu_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    if (session) cookie = `vanthu_session=${session}`;
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : {}) as Body;
    const token = (parsed.data as { csrfToken?: unknown } | undefined)?.csrfToken;
    if (typeof token === 'string') csrf = token;
    return { status: res.status, body: parsed };
  };
  const ok = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await request(method, p, body);
    if (res.status >= 400) throw new Error(`${method} ${p} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as T;
  };
  await ok('POST', '/api/auth/login', { login, password });
  await ok('GET', '/api/auth/session');
  return { get: (p) => ok('GET', p), post: (p, body) => ok('POST', p, body ?? {}), request };
}

/**
 * Polls `probe` until it returns a value that is not undefined/false; after `timeoutMs` throws with
 * `what` and what `show` (default: the last value) says about the state it last saw.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, o: { timeoutMs?: number; everyMs?: number; show?: () => Promise<unknown> } = {}): Promise<T> {
  const until = Date.now() + (o.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) {
      const seen = o.show ? await o.show().catch((e: unknown) => e) : last;
      throw new Error(`timed out waiting for ${what}; last seen: ${seen instanceof Error ? seen.message : JSON.stringify(seen)?.slice(0, 2000)}`);
    }
    await new Promise((r) => setTimeout(r, o.everyMs ?? 200));
  }
}
