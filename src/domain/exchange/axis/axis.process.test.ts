import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { createEmptyPgDatabase, dropPgDatabases } from '../../../test/db.ts';
import { parseEdxml } from '../edxml/edxml.parse.ts';
import { buildSdkRequest, createAxisClient, parseSdkResponse, sendSdkRequest, type SdkRequest } from './axis.client.ts';
import { makePackage } from './axis.testing.ts';

/**
 * The axis as operators run it: `vanthu axis agency add` and `vanthu axis serve` as separate
 * processes, killed with SIGKILL in the middle of a burst of sends and restarted on the same data.
 * PGlite by default; PostgreSQL (a fresh database) when TEST_DATABASE_URL is set.
 */

const MAIN = path.resolve(import.meta.dirname, '../../../cli/main.ts');
const SENDER = '000.00.01.H53';
const RECIPIENT = '000.00.00.G22';
const children: ChildProcess[] = [];
const dropDbs: string[] = [];

async function storageArgs(): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-axis-proc-'));
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return ['--data-dir', dir];
  const { name, url: databaseUrl } = await createEmptyPgDatabase(url, 'axis_proc');
  dropDbs.push(name);
  return ['--data-dir', dir, '--database-url', databaseUrl];
}

async function cli(...args: string[]) {
  const { stdout } = await promisify(execFile)(process.execPath, [MAIN, 'axis', ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } });
  return stdout;
}

/** Starts `vanthu axis serve --port 0` and resolves with its endpoint from the banner line. */
function serve(storage: string[]): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [MAIN, 'axis', 'serve', '--port', '0', '--log-level', 'silent', ...storage], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Trục liên thông đang chạy: (\S+)/.exec(out);
      if (m?.[1]) resolve({ child, endpoint: m[1] });
    });
    child.stderr?.on('data', (c: Buffer) => { out += c.toString(); });
    child.once('exit', (code) => reject(new Error(`axis serve exited (${String(code)}): ${out}`)));
  });
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const url = process.env.TEST_DATABASE_URL;
  if (url) await dropPgDatabases(url, dropDbs);
});

describe('the axis as a separate process', () => {
  test('vanthu axis --help explains the command', async () => {
    const out = await cli('--help');
    expect(out).toContain('vanthu axis serve');
    expect(out).toContain('vanthu axis agency add');
  });

  test('killed with SIGKILL in the middle of a burst of sends and restarted, the axis loses nothing and duplicates nothing', async () => {
    const storage = await storageArgs();
    expect(await cli('agency', 'add', '--code', SENDER, '--name', 'Đơn vị thử nghiệm', '--secret', 'sender-secret-1', ...storage)).toContain('Đã thêm hệ thống');
    const generated = await cli('agency', 'add', '--code', RECIPIENT, '--name', 'Văn phòng Chính phủ', ...storage);
    const secret = /chỉ in một lần: (\S+)/.exec(generated)?.[1] ?? '';
    expect(secret).toMatch(/^[0-9a-f]{48}$/);
    expect(await cli('agency', 'list', ...storage)).toContain(RECIPIENT);

    const first = await serve(storage);
    const credentials = { endpoint: first.endpoint, systemId: SENDER, secret: 'sender-secret-1' };
    // A burst large enough that the kill lands in its middle: the axis takes a package in one statement, so
    // a small burst can be answered whole before the signal arrives.
    const files = await Promise.all(Array.from({ length: 150 }, () => makePackage({ from: SENDER, to: [RECIPIENT] })));
    // Like an SDK client that retries: the very same request bytes (same timestamp and signature) are sent again later.
    const requests: SdkRequest[] = files.map((file) => buildSdkRequest(credentials, {
      op: 'sendEdoc', body: file, params: [['from', SENDER], ['servicetype', 'eDoc'], ['messagetype', 'edoc']],
    }));
    const answered = new Map<number, string>();
    const burst = requests.map((r, i) => sendSdkRequest(r).then((text) => {
      const res = parseSdkResponse(text);
      if (res.ErrorCode === '0' && typeof res.DocId === 'string') answered.set(i, res.DocId);
    }, () => undefined));
    while (answered.size < 3) await new Promise((r) => setTimeout(r, 2));
    first.child.kill('SIGKILL');
    await Promise.all(burst);
    expect(answered.size).toBeGreaterThanOrEqual(3);
    expect(answered.size, 'the kill interrupted the burst').toBeLessThan(files.length);

    const second = await serve(storage);
    const retried = await Promise.all(requests.map(async (r) => parseSdkResponse(await sendSdkRequest({ ...r, url: new URL(`${second.endpoint}/sendEdoc`) }))));
    for (const [i, docId] of answered) expect(retried[i]?.DocId, `package ${i}`).toBe(docId);
    const docIds = retried.map((r) => r.DocId);
    expect(new Set(docIds).size).toBe(files.length);

    const recipient = createAxisClient({ endpoint: second.endpoint, systemId: RECIPIENT, secret });
    const inbox = await recipient.getReceivedEdocList('edoc');
    expect(inbox.map((i) => i.docId).sort()).toEqual([...docIds].sort());
    const sample = await parseEdxml(await recipient.getEdoc(String(docIds[0])));
    expect(sample.kind).toBe('edoc');
    recipient.close();
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 240_000); // five processes, each opening (and the first migrating) the embedded database on a shared 2-core machine
});
