import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDb } from '../../../test/db.ts';
import { makeTestSigner } from '../edxml/edxml.testing.ts';
import { bodyLogDir, openBodyLog, type BodyLocation } from './axis.bodylog.ts';
import { createAxisClient } from './axis.client.ts';
import { addSystem } from './axis.directory.ts';
import { axisRepo, logLocationOf } from './axis.repository.ts';
import { startAxisWith, type RunningAxis } from './axis.server.ts';
import { makePackage, startTestAxis } from './axis.testing.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const logDir = async () => path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-bodylog-')), 'axis-bodies');

/** A pino logger whose JSON lines are kept. */
function errorSink() {
  const logged: { problem?: string; msg: string; level: number }[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => { logged.push(JSON.parse(line) as { problem?: string; msg: string; level: number }); } });
  return { logged, logger };
}

async function flipByte(dir: string, at: BodyLocation, index: number): Promise<void> {
  const handle = await open(path.join(dir, at.segment), 'r+');
  try {
    const one = Buffer.alloc(1);
    await handle.read(one, 0, 1, at.offset + index);
    one[0] = (one[0] ?? 0) ^ 0x01;
    await handle.write(one, 0, 1, at.offset + index);
  } finally {
    await handle.close();
  }
}

describe('the body log', () => {
  test('concurrent appends are written as one group after the first, and each body reads back where its location says', async () => {
    const dir = await logDir();
    const log = openBodyLog(dir);
    const bodies = Array.from({ length: 64 }, (_, i) => randomBytes(1000 + i * 37));
    const locations = await Promise.all(bodies.map((b) => log.append([b])));
    // The first append starts a group alone; the other 63 arrive while it is written and share the next one.
    expect(log.stats()).toEqual({ groups: 2, appends: 64 });
    const segments = new Set(locations.map(([at]) => at?.segment));
    expect(segments.size).toBe(1);
    const sorted = locations.map(([at]) => at).sort((a, b) => (a?.offset ?? 0) - (b?.offset ?? 0));
    let end = 0;
    for (const at of sorted) {
      expect(at?.offset).toBe(end);
      end += at?.length ?? 0;
    }
    expect((await stat(path.join(dir, [...segments][0] ?? ''))).size).toBe(end);
    for (const [i, body] of bodies.entries()) {
      const [at] = locations[i] ?? [];
      if (!at) throw new Error('no location');
      expect(Buffer.compare(await log.read(at, sha(body)), body)).toBe(0);
    }
    await log.close();
  });

  test("a package's bodies are appended together; a log opened again writes a new segment and still reads the old one; a segment rolls over past its size", async () => {
    const dir = await logDir();
    const first = openBodyLog(dir, { segmentMaxBytes: 1000 });
    const [sent, delivered] = [randomBytes(600), randomBytes(650)];
    const [a, b] = await first.append([sent, delivered]);
    expect(b).toEqual({ segment: a?.segment, offset: 600, length: 650 });
    // Past 1000 bytes, the next group goes to a new segment.
    const [c] = await first.append([randomBytes(10)]);
    expect(c?.segment).not.toBe(a?.segment);
    await first.close();
    const again = openBodyLog(dir);
    const [d] = await again.append([randomBytes(10)]);
    expect(d?.offset).toBe(0);
    expect(new Set([a?.segment, c?.segment, d?.segment]).size).toBe(3);
    expect((await readdir(dir)).sort()).toEqual([a?.segment, c?.segment, d?.segment].sort());
    if (!a || !b) throw new Error('no location');
    expect(Buffer.compare(await again.read(b, sha(delivered)), delivered)).toBe(0);
    expect(Buffer.compare(await again.read(a, sha(sent)), sent)).toBe(0);
    await again.close();
  });

  test('a body altered on disk, cut short, in a missing segment or at a location naming another file is refused as axis.body_corrupt and logged, never returned', async () => {
    const dir = await logDir();
    const { logged, logger } = errorSink();
    const log = openBodyLog(dir, { logger });
    const body = randomBytes(4096);
    const [at] = await log.append([body]);
    if (!at) throw new Error('no location');
    await flipByte(dir, at, 1234);
    await expect(log.read(at, sha(body))).rejects.toMatchObject({ code: 'axis.body_corrupt', message: expect.stringMatching(/không còn nguyên vẹn/) });
    await expect(log.read({ ...at, length: at.length + 10 }, sha(body))).rejects.toMatchObject({ code: 'axis.body_corrupt' });
    await expect(log.read({ ...at, segment: '20261206T000000000Z-000000000000.bodies' }, sha(body))).rejects.toMatchObject({ code: 'axis.body_corrupt' });
    await expect(log.read({ ...at, segment: '../axis-bodies/x' }, sha(body))).rejects.toMatchObject({ code: 'axis.body_corrupt' });
    expect(logged.every((l) => l.level === 50 && /not served/.test(l.msg))).toBe(true);
    expect(logged.map((l) => l.problem)).toEqual([
      'SHA-256 mismatch', expect.stringMatching(/^short read/), expect.stringMatching(/ENOENT/), 'bad location',
    ]);
    await log.close();
  });
});

describe('the axis with its body log', () => {
  const H53 = '000.00.01.H53';
  const G22 = '000.00.00.G22';
  let axis: RunningAxis;

  beforeAll(async () => {
    axis = await startTestAxis(await createTestDb(), { axisCode: '000.00.00.H53' });
    await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: H53, name: 'Sở thử', secret: 'h53-secret-0001', kind: 'agency' });
    await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: G22, name: 'Văn phòng', secret: 'g22-secret-0001', kind: 'agency' });
  });
  afterAll(async () => {
    await axis.stop();
  });

  test('a package body goes to the log, its row holds only its place; another process reads it from the log, and refuses it once altered there', async () => {
    const h53 = createAxisClient({ endpoint: axis.endpoint, systemId: H53, secret: 'h53-secret-0001' });
    const file = await makePackage({ from: H53, to: [G22], signer: makeTestSigner('ec') });
    const { docId } = await h53.sendEdoc(file);
    const pkg = await axisRepo.findPackage(axis.deps.db, docId);
    const row = await axis.deps.db.selectFrom('axisBody').selectAll().where('sha256', '=', pkg?.sha256 ?? '').executeTakeFirstOrThrow();
    expect(row.bytes).toBeNull();
    const at = logLocationOf(row);
    if (!at) throw new Error('no log location');
    expect(at.length).toBe(file.length);
    // Another axis app over the same data dir has not accepted it: it reads the log (checked).
    const other = await startAxisWith(axis.deps, async () => undefined, { port: 0, axisCode: '000.00.00.H53', autoStart: false });
    const viaOther = createAxisClient({ endpoint: other.endpoint, systemId: G22, secret: 'g22-secret-0001' });
    try {
      expect(Buffer.from(await viaOther.getEdoc(docId)).equals(Buffer.from(file))).toBe(true);
      await flipByte(bodyLogDir(axis.deps.config.dataDir), at, file.length - 100);
      await expect(viaOther.getEdoc(docId)).rejects.toMatchObject({ code: 'axis.remote_error', message: expect.stringMatching(/không còn nguyên vẹn/) });
    } finally {
      viaOther.close();
      h53.close();
      await other.stop();
    }
  });
});
