import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../platform/db/client.ts';
import { bodyLogDir, openBodyLog } from './axis/axis.bodylog.ts';
import { logLocationOf } from './axis/axis.repository.ts';
import { copyTemplatePgDatabase, dropPgDatabases, prefillPgliteDir } from '../../test/db.ts';
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

/** Where a process keeps its data: a new directory (its PGlite already migrated), or with TEST_DATABASE_URL a new migrated PostgreSQL database. */
export async function newStorage(label: string): Promise<{ dataDir: string; databaseUrl?: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `vanthu-mp-${label}-`));
  dirs.push(dataDir);
  const url = process.env.TEST_DATABASE_URL;
  // the run's migrated template: each process skips the migrations (and PGlite's initdb) at its start
  if (!url) {
    await prefillPgliteDir(path.join(dataDir, 'pglite'));
    return { dataDir };
  }
  const { name, url: databaseUrl } = await copyTemplatePgDatabase(url, `mp_${label}`);
  databases.push(name);
  return { dataDir, databaseUrl };
}

/** Runs `vanthu ARGS…` to completion; resolves with its stdout (rejects on a non-zero exit). */
export async function vanthuCli(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [MAIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
  return stdout;
}

/** A child process whose whole output (stdout and stderr) is kept for assertions on what it logged. */
export type Proc = { child: ChildProcess; label: string; output: () => string; kill: (signal: NodeJS.Signals) => Promise<void> };

/** Whether the process is still running (not stopped by a test, not dead). */
export const isRunning = (proc: Proc) => proc.child.exitCode === null && proc.child.signalCode === null;

/** Children that exited while the tests still needed them (not through `kill`): reported instead of the ECONNREFUSED they cause. */
const unexpectedExits: string[] = [];

/** Throws, naming each child that died unexpectedly with the end of its output; `eventually` and every API call check it. */
export function assertChildrenAlive(): void {
  if (unexpectedExits.length > 0) throw new Error(`a child process exited unexpectedly:\n${unexpectedExits.join('\n')}`);
}

/** Resolves once something accepts TCP connections on host:port (the banner is printed after listen; this also proves the parsed URL). */
async function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Spawns `vanthu ARGS…` and resolves once its banner line (`banner`, matched against whole lines of
 * stdout only: a chunk may end mid-line, and stderr may arrive in between) names a URL that accepts
 * connections. Rejects with the child's output if it exits first (EADDRINUSE included).
 */
function launch(args: string[], env: Record<string, string>, banner: RegExp): Promise<Proc & { url: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  // VANTHU_MP_LOG=FILE keeps every process's output (prefixed with its command) for a post-mortem.
  const logFile = process.env.VANTHU_MP_LOG;
  const label = `${args[0] === 'axis' ? 'axis' : env.DATA_DIR?.split('-').at(-2) ?? 'serve'} ${child.pid ?? ''}`;
  let isStopping = false;
  let isReady = false;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const proc: Proc = {
    child,
    label,
    output: () => out,
    kill: async (signal) => {
      isStopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      children.delete(child);
    },
  };
  const keep = (c: Buffer) => {
    out += c.toString();
    if (logFile) appendFileSync(logFile, c.toString().split('\n').filter(Boolean).map((l) => `${new Date().toISOString()} [${label}] ${l}\n`).join(''));
  };
  child.stderr?.on('data', keep);
  return new Promise((resolve, reject) => {
    let pending = '';
    child.stdout?.on('data', (c: Buffer) => {
      keep(c);
      if (isReady) return;
      pending += c.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const url = lines.map((l) => banner.exec(l)?.[1]).find(Boolean);
      if (!url) return;
      isReady = true;
      const { hostname, port } = new URL(url);
      void eventually(`${label} accepting connections on ${url}`, () => accepts(hostname, Number(port)), { timeoutMs: 10_000, everyMs: 50 })
        .then(() => resolve({ ...proc, url }), reject);
    });
    child.once('exit', (code, signal) => {
      const why = `${args.join(' ')} [${label}] exited (${String(code ?? signal)})`;
      if (!isReady) reject(new Error(`${why}:\n${out}`));
      else if (!isStopping) unexpectedExits.push(`${why}; last output:\n${out.slice(-3000)}`);
    });
  });
}

/** Whether a start failed because the port was taken between choosing it and listening on it. */
const isPortTaken = (error: unknown) => error instanceof Error && /EADDRINUSE/.test(error.message);

/**
 * Starts a process on a port that must stay the same (a restart: its clients know the address): the
 * port was free when it stopped, but a client socket may hold it for a moment; tried again while it
 * is taken, up to `timeoutMs`.
 */
async function onSamePort<T>(start: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await start();
    } catch (error) {
      if (!isPortTaken(error) || Date.now() > until) throw error;
    }
  }
}

/** Starts a process on a port chosen right before it starts; a new one if another process took it meanwhile. */
async function onFreePort<T>(start: (port: number) => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (!isPortTaken(error) || i >= tries) throw error;
    }
  }
}

export type Axis = Proc & { endpoint: string; port: number };

/**
 * `vanthu axis serve` over `storage`; resolves once it accepts connections. Without `port` the axis
 * picks a free one itself (no gap between choosing and listening); with `port` (a restart on the same
 * address) it is tried again while a leftover client socket holds the port.
 */
export async function startAxis(storage: { dataDir: string; databaseUrl?: string }, port?: number): Promise<Axis> {
  const start = (p: number) => launch(['axis', 'serve', '--port', String(p), '--log-level', 'warn', '--data-dir', storage.dataDir,
    ...(storage.databaseUrl ? ['--database-url', storage.databaseUrl] : [])], {}, /Trục liên thông đang chạy: (\S+)/);
  const proc = port === undefined ? await start(0) : await onSamePort(() => start(port));
  return { ...proc, endpoint: proc.url, port: Number(new URL(proc.url).port) };
}

/**
 * Rewrites, in a stopped axis's store, every stored package body that contains `from`: the bytes of an
 * accepted, signed package changed behind the axis's back by someone who can write both its data dir and
 * its database. The altered bytes go to the body log (a new segment, as the axis appends) or into the
 * bytea of a row written before the log, and the body's row and its packages are given the altered
 * bytes' SHA-256 — so the axis's own check on reading (a body must have its row's SHA-256) passes, and
 * only the recipient's XML-DSig check can refuse the package. (A body altered without its hash is
 * refused by the axis itself: axis.bodylog.test.ts.) Returns how many bodies were changed.
 */
export async function alterStoredPackages(storage: { dataDir: string; databaseUrl?: string }, from: string, to: string): Promise<number> {
  const handle = await openDatabase(storage.databaseUrl ? { url: storage.databaseUrl } : { dataDir: path.join(storage.dataDir, 'pglite') });
  const log = openBodyLog(bodyLogDir(storage.dataDir));
  try {
    let changed = 0;
    for (const body of await handle.db.selectFrom('axisBody').selectAll().execute()) {
      const at = logLocationOf(body);
      const bytes = at ? await log.read(at, body.sha256) : body.bytes;
      if (bytes === null) throw new Error(`axis_body ${body.sha256} has neither bytes nor a log location`);
      const text = Buffer.from(bytes).toString('utf8');
      if (!text.includes(from)) continue;
      const altered = Buffer.from(text.replaceAll(from, to), 'utf8');
      const sha256 = createHash('sha256').update(altered).digest('hex');
      const [place] = at ? await log.append([altered]) : [undefined];
      await handle.db.transaction().execute(async (tx) => {
        await tx.updateTable('axisBody').where('sha256', '=', body.sha256).set(place
          ? { sha256, logSegment: place.segment, logOffset: place.offset, logLength: place.length }
          : { sha256, bytes: altered }).execute();
        await tx.updateTable('axisPackage').set({ sha256 }).where('sha256', '=', body.sha256).execute();
        await tx.updateTable('axisPackage').set({ deliveredSha256: sha256 }).where('deliveredSha256', '=', body.sha256).execute();
      });
      changed++;
    }
    return changed;
  } finally {
    await log.close();
    await handle.close();
  }
}

/** `vanthu axis agency add` for an agency system with a known secret. */
export async function addAxisAgency(storage: { dataDir: string; databaseUrl?: string }, code: string, name: string, secret: string): Promise<void> {
  await vanthuCli(['axis', 'agency', 'add', '--code', code, '--name', name, '--secret', secret, '--data-dir', storage.dataDir,
    ...(storage.databaseUrl ? ['--database-url', storage.databaseUrl] : [])]);
}

export type Install = Proc & { url: string; env: Record<string, string> };

/** The environment of a `vanthu serve` process over `storage` (no port yet: see startInstall), demo province on, connector timings from `exchange`. */
export function installEnv(storage: { dataDir: string; databaseUrl?: string }, exchange: Record<string, string>): Record<string, string> {
  return {
    DATA_DIR: storage.dataDir, ...(storage.databaseUrl && { DATABASE_URL: storage.databaseUrl }), HOST: '127.0.0.1',
    VANTHU_DEMO: 'true', LOG_LEVEL: 'warn', ...exchange,
  };
}

/**
 * `vanthu serve` with `env` (see installEnv); resolves once it accepts connections. The port is chosen
 * right before the process starts (another one if it was taken meanwhile); a restart (`env.PORT`
 * set by the first start) keeps it, so the signed-in clients keep their address.
 */
export async function startInstall(env: Record<string, string>): Promise<Install> {
  const start = (port: string) => launch(['serve'], { ...env, PORT: port }, /vanthu đang chạy: (\S+)/);
  const proc = env.PORT ? await onSamePort(() => start(env.PORT ?? '')) : await onFreePort((p) => start(String(p)));
  return { ...proc, env: { ...env, PORT: new URL(proc.url).port } };
}

/** Stops every process still running and removes the data (directories, PostgreSQL databases). */
export async function cleanUp(): Promise<void> {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
  unexpectedExits.length = 0;
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
    let res: Response;
    try {
      res = await fetch(new URL(p, baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      // ECONNREFUSED says little: a child that died says why.
      assertChildrenAlive();
      throw error;
    }
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
    assertChildrenAlive();
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
