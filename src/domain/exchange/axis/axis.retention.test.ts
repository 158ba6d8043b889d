import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createBlobStore } from '../../../platform/blobs/blobs.ts';
import { loadConfig } from '../../../platform/config.ts';
import { createTestDb } from '../../../test/db.ts';
import { bodyLogDir, bodyLogOf } from './axis.bodylog.ts';
import { createAxisClient, type AxisClient } from './axis.client.ts';
import { addSystem } from './axis.directory.ts';
import { axisRepo } from './axis.repository.ts';
import { pruneBodies } from './axis.retention.ts';
import { startAxisWith, type RunningAxis } from './axis.server.ts';
import { makePackage } from './axis.testing.ts';

const H53 = '000.00.01.H53';
const G22 = '000.00.00.G22';
const X01 = '000.00.02.X01';
const OUTSIDE = '000.00.09.Z99';
const DAY = 24 * 60 * 60 * 1000;
/** A retention run as if `days` had passed since the packages were sent. */
const after = (days: number) => new Date(Date.now() + days * DAY);

type Logged = { level: number; msg: string; code?: string };

let axis: RunningAxis;
let logged: Logged[];
let clients: Record<string, AxisClient>;

/** An axis on a fresh test database whose log lines (info and up) are kept; with a parent that never answers (its jobs run when the test says). */
async function start({ withParent = true } = {}): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-axis-retention-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  logged = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => { logged.push(JSON.parse(line) as Logged); } });
  const handle = await createTestDb();
  const deps = { config, db: handle.db, blobs: createBlobStore(config.blobDir), logger };
  axis = await startAxisWith(deps, handle.close, {
    port: 0, axisCode: '000.00.00.H53', autoStart: false,
    parent: withParent ? { endpoint: 'http://127.0.0.1:9/vxp', systemId: 'AXIS.H53', secret: 'parent-secret-01' } : undefined,
  });
  clients = {};
  for (const [systemId, secret] of [[H53, 'h53-secret-0001'], [G22, 'g22-secret-0001'], [X01, 'x01-secret-0001']] as const) {
    await addSystem({ db: deps.db, dataDir, systemId, name: `Cơ quan ${systemId}`, secret, kind: 'agency' });
    clients[systemId] = createAxisClient({ endpoint: axis.endpoint, systemId, secret });
  }
}

const client = (systemId: string): AxisClient => {
  const c = clients[systemId];
  if (!c) throw new Error(`no client for ${systemId}`);
  return c;
};
const segments = async () => (await readdir(bodyLogDir(axis.deps.config.dataDir)).catch(() => [])).sort();
/** Sends a package and gives its DocId. */
const send = async (to: string[], attachmentBytes?: number) => (await client(H53).sendEdoc(await makePackage({ from: H53, to, attachmentBytes }))).docId;
/** A recipient fetches the package and acknowledges it with done. */
const take = async (systemId: string, docId: string) => {
  const bytes = await client(systemId).getEdoc(docId);
  await client(systemId).updateStatus(docId, 'done');
  return bytes;
};
/** Starts the next segment: what was sent before is in a segment no longer appended to. */
const nextSegment = () => bodyLogOf(axis.deps).close();
const prune = (days: number, o: { dryRun?: boolean } = {}) => pruneBodies({ deps: axis.deps, olderThanDays: 30, now: after(days), ...o });

async function stop(): Promise<void> {
  for (const c of Object.values(clients)) c.close();
  await axis.stop();
}

beforeEach(() => start());
afterEach(stop);

describe('body retention', () => {
  test('a body its recipient took and acknowledged, older than the period, is dropped with its segment file; the package keeps its rows; getEdoc says the body expired, logged at info; a second run frees nothing', async () => {
    const docId = await send([G22]);
    const pkg = await axisRepo.findPackage(axis.deps.db, docId);
    await take(G22, docId);
    await nextSegment();
    const [segment] = await segments();
    const size = (await stat(path.join(bodyLogDir(axis.deps.config.dataDir), segment ?? ''))).size;

    // Not old enough yet: nothing goes.
    expect(await prune(29)).toEqual({ packages: 0, bodies: 0, bodyBytes: 0, segments: 0, blobs: 0, fileBytes: 0 });
    const freed = await prune(31);
    expect(freed).toEqual({ packages: 1, bodies: 2, bodyBytes: size, segments: 1, blobs: 0, fileBytes: size });
    expect(await segments()).toEqual([]);
    expect(await axis.deps.db.selectFrom('axisBody').select('sha256').where('sha256', 'in', [pkg?.sha256 ?? '', pkg?.deliveredSha256 ?? '']).execute()).toEqual([]);

    // The audit trail stays: the package, its delivery and its trace.
    expect(await axisRepo.findPackage(axis.deps.db, docId)).toMatchObject({ docId, sha256: pkg?.sha256 });
    expect((await axisRepo.deliveriesOf(axis.deps.db, docId)).map((d) => d.status)).toEqual(['done']);
    expect((await axisRepo.traceOf(axis.deps.db, docId)).map((t) => t.event)).toEqual(['accepted']);

    logged.length = 0;
    for (const who of [G22, H53]) {
      await expect(client(who).getEdoc(docId)).rejects.toMatchObject({
        code: 'axis.remote_error', details: { code: 'axis.body_expired' }, message: expect.stringMatching(/Nội dung gói tin .* đã hết thời hạn lưu trên trục/),
      });
    }
    const refusals = logged.filter((l) => l.code === 'axis.body_expired');
    expect(refusals.map((l) => l.level)).toEqual([30, 30]);
    expect(logged.filter((l) => l.level >= 40)).toEqual([]);

    expect(await prune(31)).toEqual({ packages: 0, bodies: 0, bodyBytes: 0, segments: 0, blobs: 0, fileBytes: 0 });
  });

  test('a body one of two recipients has not taken is kept whatever its age, and so is its segment, shared with a dropped body; the current segment is never deleted', async () => {
    const waiting = await send([G22, X01]);
    const taken = await send([G22]);
    await take(G22, waiting);
    const takenBytes = await take(G22, taken);
    await nextSegment();
    const [shared] = await segments();

    const first = await prune(3650);
    expect(first).toMatchObject({ packages: 1, bodies: 2, segments: 0, fileBytes: 0 });
    expect(first.bodyBytes).toBeGreaterThanOrEqual(takenBytes.length);
    expect(await segments()).toEqual([shared]);
    await expect(client(G22).getEdoc(taken)).rejects.toMatchObject({ details: { code: 'axis.body_expired' } });
    // X01 still gets its copy, read from the shared segment and checked.
    expect(Buffer.from(await take(X01, waiting)).toString()).toContain('<edXML');

    // Now a package in the segment being appended to: its rows go, the file stays and keeps taking bodies.
    const current = await send([G22]);
    await take(G22, current);
    const currentSegment = bodyLogOf(axis.deps).current();
    expect(await prune(3650)).toMatchObject({ packages: 2, segments: 1 }); // `waiting`, now taken by both, and its segment
    expect(await segments()).toEqual([currentSegment]);
    await expect(client(G22).getEdoc(current)).rejects.toMatchObject({ details: { code: 'axis.body_expired' } });
    const later = await send([G22]);
    expect(bodyLogOf(axis.deps).current()).toBe(currentSegment);
    expect(Buffer.from(await take(G22, later)).toString()).toContain('<edXML');
  });

  test('a dry run counts what a run frees and changes nothing; the run then frees exactly that', async () => {
    const docId = await send([G22]);
    const bytes = await take(G22, docId);
    await nextSegment();
    const before = await segments();
    const dry = await prune(31, { dryRun: true });
    expect(dry).toMatchObject({ packages: 1, bodies: 2, segments: 1 });
    expect(await segments()).toEqual(before);
    expect(Buffer.from(await client(G22).getEdoc(docId)).equals(Buffer.from(bytes))).toBe(true);
    expect(await axisRepo.isBodyDropped(axis.deps.db, docId)).toBe(false);
    expect(await prune(31)).toEqual(dry);
    expect(await segments()).toEqual([]);
  });

  test('a run goes through the packages in batches: a batch of one drops all of them, and a package before the cutoff that is not finished does not stop it', async () => {
    const unfinished = await send([G22]);
    const done = [await send([G22]), await send([G22]), await send([G22])];
    for (const docId of done) await take(G22, docId);
    await nextSegment();
    expect(await pruneBodies({ deps: axis.deps, olderThanDays: 30, now: after(31), batchSize: 1 })).toMatchObject({ packages: 3, segments: 0 });
    for (const docId of done) expect(await axisRepo.isBodyDropped(axis.deps.db, docId)).toBe(true);
    expect(await axisRepo.isBodyDropped(axis.deps.db, unfinished)).toBe(false);
  });

  test('a segment or blob file no row refers to (left by a crash between the rows and the files, or by a duplicate send) is deleted by the next run once a day old; a blob a kept package names stays', async () => {
    await bodyLogOf(axis.deps).append([Buffer.from('bytes whose row never committed')]);
    await nextSegment();
    const [orphan] = await segments();
    expect(orphan).toBeDefined();
    const orphanBlob = await axis.deps.blobs.put(Buffer.from('a large body whose row never committed'));
    const kept = await axisRepo.findPackage(axis.deps.db, await send([G22], 4.5 * 1024 * 1024));
    // Young: it may still be some process's current segment, or a blob whose row is being committed.
    expect(await pruneBodies({ deps: axis.deps, olderThanDays: 30 })).toMatchObject({ segments: 0, blobs: 0 });
    expect(await segments()).toContain(orphan);
    expect(await prune(2)).toEqual({ packages: 0, bodies: 0, bodyBytes: 0, segments: 1, blobs: 1, fileBytes: 31 + orphanBlob.size });
    expect(await segments()).not.toContain(orphan);
    expect(await axis.deps.blobs.has(orphanBlob.sha256)).toBe(false);
    expect(await axis.deps.blobs.has(kept?.deliveredSha256 ?? '')).toBe(true);
  });

  test('an axis served with a body retention runs it as an hourly job, which schedules the next run first', async () => {
    await stop();
    const handle = await createTestDb();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-axis-retention-'));
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    axis = await startAxisWith({ config, db: handle.db, blobs: createBlobStore(config.blobDir), logger: pino({ level: 'silent' }) }, handle.close,
      { port: 0, axisCode: '000.00.00.H53', autoStart: false, bodyRetentionDays: 0 });
    await addSystem({ db: handle.db, dataDir, systemId: H53, name: 'Sở', secret: 'h53-secret-0001', kind: 'agency' });
    await addSystem({ db: handle.db, dataDir, systemId: G22, name: 'Văn phòng', secret: 'g22-secret-0001', kind: 'agency' });
    clients = {
      [H53]: createAxisClient({ endpoint: axis.endpoint, systemId: H53, secret: 'h53-secret-0001' }),
      [G22]: createAxisClient({ endpoint: axis.endpoint, systemId: G22, secret: 'g22-secret-0001' }),
    };
    const docId = await send([G22]);
    await take(G22, docId);
    const jobs = () => handle.db.selectFrom('job').select(['runAt', 'doneAt']).where('type', '=', 'axis.prune-bodies').orderBy('runAt').execute();
    const [scheduled] = await jobs();
    expect(new Date(scheduled?.runAt ?? 0).getTime()).toBeGreaterThan(Date.now());
    expect(await axis.worker.runOnce()).toBe(0); // not due yet
    // As if it were the run of the hour just begun (scheduled in the hour before).
    await handle.db.updateTable('job').set({ runAt: new Date(), dedupeKey: 'axis.prune-bodies:the hour just begun' }).where('type', '=', 'axis.prune-bodies').execute();
    expect(await axis.worker.runOnce()).toBe(1);
    expect(await axisRepo.isBodyDropped(handle.db, docId)).toBe(true);
    const ran = await jobs();
    expect(ran).toHaveLength(2);
    expect(ran[0]?.doneAt).not.toBeNull();
    expect(new Date(ran[1]?.runAt ?? 0).getTime()).toBeGreaterThan(Date.now());
  });

  test('a large package kept as a blob file and an old body kept as bytea are dropped the same way', async () => {
    const large = await send([G22], 4.5 * 1024 * 1024);
    const old = await send([G22]);
    const largePkg = await axisRepo.findPackage(axis.deps.db, large);
    const oldPkg = await axisRepo.findPackage(axis.deps.db, old);
    if (!largePkg || !oldPkg) throw new Error('not stored');
    expect(await axis.deps.blobs.has(largePkg.deliveredSha256)).toBe(true);
    // As an axis older than the body log stored it: the bytes in the row.
    const oldBytes = await take(G22, old);
    await axis.deps.db.deleteFrom('axisBody').where('sha256', '=', oldPkg.sha256).where('sha256', '<>', oldPkg.deliveredSha256).execute();
    await axis.deps.db.updateTable('axisBody').set({ bytes: Buffer.from(oldBytes), logSegment: null, logOffset: null, logLength: null })
      .where('sha256', '=', oldPkg.deliveredSha256).execute();
    await take(G22, large);

    const freed = await prune(31);
    expect(freed).toMatchObject({ packages: 2, blobs: 2 });
    expect(await axis.deps.blobs.has(largePkg.sha256)).toBe(false);
    expect(await axis.deps.blobs.has(largePkg.deliveredSha256)).toBe(false);
    expect(await axis.deps.db.selectFrom('blob').select('sha256').execute()).toEqual([]);
    expect(await axis.deps.db.selectFrom('axisBody').select('sha256').where('sha256', '=', oldPkg.deliveredSha256).execute()).toEqual([]);
    await expect(client(G22).getEdoc(large)).rejects.toMatchObject({ details: { code: 'axis.body_expired' } });
    await expect(client(G22).getEdoc(old)).rejects.toMatchObject({ details: { code: 'axis.body_expired' } });
  });

  test('a package still being forwarded to the parent axis keeps its body; once the parent took it, it goes, and forwarding it again says it expired', async () => {
    const docId = await send([OUTSIDE]);
    expect((await axisRepo.deliveriesOf(axis.deps.db, docId)).map((d) => [d.route, d.status])).toEqual([['parent', 'forwarding']]);
    expect(await prune(3650)).toMatchObject({ packages: 0 });
    await axisRepo.setParentOutcome(axis.deps.db, docId, { status: 'forwarded', statusDesc: '', parentDocId: '3f1e9a52-7a5b-4d1c-9d55-2f0b2c8a1e01' });
    expect(await prune(3650)).toMatchObject({ packages: 1 });

    // The forwarding job enqueued by sendEdoc runs only now.
    expect(await axis.worker.runOnce()).toBe(1);
    const [delivery] = await axisRepo.deliveriesOf(axis.deps.db, docId);
    expect(delivery).toMatchObject({ status: 'fail', statusDesc: expect.stringMatching(/hết thời hạn lưu trên trục/) });
    expect((await axisRepo.traceOf(axis.deps.db, docId)).map((t) => [t.event, t.detail])).toContainEqual(['forward_failed', 'axis.body_expired']);
  });

  test('a sender sending a dropped package again gets its first DocId, and its unroutable recipient is not routed to a body that is gone', async () => {
    await stop();
    await start({ withParent: false });
    const file = await makePackage({ from: H53, to: [G22, X01] });
    await axis.deps.db.updateTable('axisAgency').set({ deleted: true }).where('code', '=', X01).execute();
    const { docId } = await client(H53).sendEdoc(file);
    await take(G22, docId);
    expect(await prune(31)).toMatchObject({ packages: 1 }); // X01 could not be routed: finished
    await axis.deps.db.updateTable('axisAgency').set({ deleted: false }).where('code', '=', X01).execute();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the routing cache (1 s)
    expect((await client(H53).sendEdoc(file)).docId).toBe(docId);
    expect((await axisRepo.deliveriesOf(axis.deps.db, docId)).map((d) => [d.recipientCode, d.route])).toEqual([[G22, 'local'], [X01, 'none']]);
  });
});
