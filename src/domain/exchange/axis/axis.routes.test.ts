import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDb } from '../../../test/db.ts';
import { makeTestSigner } from '../edxml/edxml.testing.ts';
import { parseEdxml } from '../edxml/edxml.parse.ts';
import { createAxisClient, parseSdkResponse, sendSdkRequest, type AxisClient } from './axis.client.ts';
import { addSystem } from './axis.directory.ts';
import { gsonObject, listTime, sdkTimestamp, signHeaderHmac, unpaddedSha256Hex } from './axis.protocol.ts';
import { axisRepo } from './axis.repository.ts';
import { BODY_IN_LOG_MAX_BYTES } from './axis.service.ts';
import { makePackage, makeStatusPackage, startTestAxis } from './axis.testing.ts';
import { startAxisWith, type RunningAxis } from './axis.server.ts';
import { CAPTURE, CAPTURE_SECRET, type CapturedCall } from './testdata/capture.ts';

const H53 = '000.00.01.H53';
const G22 = '000.00.00.G22';
let axis: RunningAxis;
let g22: AxisClient;
let h53: AxisClient;

const capture = (n: number): CapturedCall => {
  const call = CAPTURE.find((c) => c.n === n);
  if (!call) throw new Error(`no capture #${n}`);
  return call;
};

/**
 * Replays a captured request: same header names, order and values, except `overrides` (signed
 * parameters such as docId, hash-file, timestamp), after which the sign-header (captured key order
 * kept) and hash-header are recomputed with `secret`. Host is the test server's.
 */
async function replay(call: CapturedCall, o: { overrides?: Record<string, string>; body?: Uint8Array; secret?: string; tamper?: (h: [string, string][]) => void } = {}) {
  const overrides = o.overrides ?? {};
  const signHeader = call.headers.find(([k]) => k === 'XroadVnpt-sign-header')?.[1] ?? '';
  const signed = Object.entries(JSON.parse(signHeader) as Record<string, string>)
    .map(([k, v]): [string, string] => [k, overrides[k.replace('XroadVnpt-', '')] ?? v]);
  const newSign = gsonObject(signed);
  const hash = signHeaderHmac(o.secret ?? CAPTURE_SECRET, Buffer.from(newSign, 'utf8'));
  const url = new URL(axis.url + call.path);
  const body = o.body ?? Buffer.from(call.body);
  const headers = call.headers.map(([k, v]): [string, string] => {
    if (k === 'XroadVnpt-sign-header') return [k, newSign];
    if (k === 'XroadVnpt-hash-header') return [k, hash];
    if (k === 'Host') return [k, url.host];
    if (k === 'Content-Length') return [k, String(body.length)];
    const name = k.replace('XroadVnpt-', '');
    return [k, k.startsWith('XroadVnpt-') && overrides[name] !== undefined ? overrides[name] : v];
  });
  o.tamper?.(headers);
  // Node writes header strings as latin1: hand it the UTF-8 bytes, as HttpURLConnection puts them on the wire.
  const wire = headers.map(([k, v]): [string, string] => [k, Buffer.from(v, 'utf8').toString('latin1')]);
  const text = await sendSdkRequest({ url, headers: wire, body: Buffer.from(body), expectContinue: headers.some(([k]) => k === 'Expect') });
  return parseSdkResponse(text);
}

beforeAll(async () => {
  axis = await startTestAxis(await createTestDb(), { axisCode: '000.00.00.H53' });
  await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: H53, name: 'Đơn vị thử nghiệm', secret: CAPTURE_SECRET, kind: 'agency', mail: 'test@example.vn' });
  await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: G22, name: 'Văn phòng Chính phủ', secret: 'g22-secret-0001', kind: 'agency', mail: 'vpcp@example.vn' });
  g22 = createAxisClient({ endpoint: axis.endpoint, systemId: G22, secret: 'g22-secret-0001' });
  h53 = createAxisClient({ endpoint: axis.endpoint, systemId: H53, secret: CAPTURE_SECRET });
});

afterAll(async () => {
  g22.close();
  h53.close();
  await axis.stop();
});

describe('the SDK wire protocol, replayed from the live capture', () => {
  test('the captured list, agency and unit requests are accepted verbatim and answer in the shape the SDK parses', async () => {
    for (const n of [3, 4, 7, 8, 9]) {
      const res = await replay(capture(n));
      expect(res, `capture #${n}`).toMatchObject({ status: 'OK', ErrorCode: '0' });
      expect(Array.isArray(res.data), `capture #${n} data[]`).toBe(true);
    }
    const units = (await replay(capture(9))).data as Record<string, unknown>[];
    const unit = units.find((u) => u.code === H53);
    expect(unit).toMatchObject({ code: H53, name: 'Đơn vị thử nghiệm', mail: 'test@example.vn', deleted: false, isAgency: true });
    expect(typeof unit?.version).toBe('number');
    expect(unit?.modifyDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const agencies = (await replay(capture(8))).data as Record<string, unknown>[];
    for (const a of agencies) expect(Object.values(a).every((v) => typeof v === 'string')).toBe(true);
  });

  test('a sendEdoc rebuilt from capture #1 (quoted "to", CRLF after the file, unpadded hash-file) is stored once, and its replay returns the same DocId', async () => {
    const file = await makePackage({ from: H53, to: [G22] });
    const overrides = { 'hash-file': unpaddedSha256Hex(file), timestamp: sdkTimestamp(new Date()) };
    const body = Buffer.concat([file, Buffer.from('\r\n')]);
    const first = await replay(capture(1), { overrides, body });
    expect(first).toMatchObject({ status: 'OK', ErrorCode: '0' });
    expect(first.DocId).toMatch(/^[0-9a-f-]{36}$/);
    const before = await axisRepo.countPackages(axis.deps.db);
    const again = await replay(capture(1), { overrides, body });
    expect(again.DocId).toBe(first.DocId);
    expect(await axisRepo.countPackages(axis.deps.db)).toBe(before);
    // capture #2: the same file as messagetype "status" with "to" as a JSON array is another message.
    const asStatus = await replay(capture(2), { overrides, body });
    expect(asStatus).toMatchObject({ status: 'OK', ErrorCode: '0' });
    expect(asStatus.DocId).not.toBe(first.DocId);
    const received = await g22.getReceivedEdocList('edoc');
    const stored = await axisRepo.findPackage(axis.deps.db, String(first.DocId));
    const at = listTime(new Date(stored?.createdAt ?? 0));
    expect(received.find((r) => r.docId === first.DocId)).toMatchObject({ from: H53, to: '"000.00.00.G22"', status: 'initial', messageType: 'edoc', created_time: at, updated_time: at });
  });

  test('the recipient fetches (capture #5) and acknowledges (capture #6, and Bkav\'s lowercase docid); the package leaves its list only after "done", and a replayed "fail" changes nothing', async () => {
    const file = await makePackage({ from: G22, to: [H53] });
    const { docId } = await g22.sendEdoc(file);
    const listed = await replay(capture(3));
    expect((listed.data as { docId: string }[]).map((d) => d.docId)).toContain(docId);
    const got = await replay(capture(5), { overrides: { docId } });
    expect(got).toMatchObject({ status: 'OK', ErrorCode: '0' });
    expect((await parseEdxml(Buffer.from(got.data as string, 'base64'))).kind).toBe('edoc');
    const fail = await replay(capture(6), { overrides: { docId, status: 'fail' } });
    expect(fail).toMatchObject({ ErrorCode: '0' });
    expect(((await replay(capture(3))).data as { docId: string; status: string }[]).find((d) => d.docId === docId)?.status).toBe('fail');
    const lower = capture(6);
    const lowerCall: CapturedCall = {
      ...lower,
      headers: lower.headers.map(([k, v]): [string, string] => [k.replace('XroadVnpt-docId', 'XroadVnpt-docid'), v.replace('"XroadVnpt-docId"', '"XroadVnpt-docid"').replace('systemid;docId', 'systemid;docid')]),
    };
    expect(await replay(lowerCall, { overrides: { docid: docId } })).toMatchObject({ ErrorCode: '0' });
    expect(((await replay(capture(3))).data as { docId: string }[]).map((d) => d.docId)).not.toContain(docId);
    expect(await replay(capture(6), { overrides: { docId, status: 'fail' } })).toMatchObject({ ErrorCode: '0' });
    expect(((await replay(capture(3))).data as { docId: string }[]).map((d) => d.docId)).not.toContain(docId);
    const sent = await g22.getSentEdocList('edoc');
    expect(sent.find((s) => s.senderDocId === docId)).toMatchObject({ toCode: H53, sendStatus: 'sent', receiveStatus: 'done' });
  });

  test('a sendEdoc whose signed headers carry UTF-8 (Vietnamese "from") verifies over the raw bytes, and a bare file without the CRLF is accepted too', async () => {
    const file = await makePackage({ from: H53, to: [G22] });
    const overrides = { 'hash-file': unpaddedSha256Hex(file), timestamp: sdkTimestamp(new Date()), from: 'Đơn vị thử nghiệm' };
    const res = await replay(capture(1), { overrides, body: file });
    expect(res).toMatchObject({ status: 'OK', ErrorCode: '0' });
    const pkg = await axisRepo.findPackage(axis.deps.db, String(res.DocId));
    expect(pkg).toMatchObject({ fromHeader: 'Đơn vị thử nghiệm', size: file.length });
  });

  test('getEdoc of an unknown docId answers like capture #12: FAIL, a Vietnamese ErrorDesc and data ""', async () => {
    const res = await replay(capture(12));
    expect(res).toMatchObject({ status: 'FAIL', ErrorCode: '-1', data: '', code: 'axis.doc_not_found' });
    expect(res.ErrorDesc).toBe('Không tìm thấy văn bản no-such-doc.');
  });

  test('registerAgency and deleteAgency (captures #10, #11) are refused for an agency system: only a child axis registers agencies', async () => {
    expect(await replay(capture(10))).toMatchObject({ status: 'FAIL', code: 'axis.register_forbidden' });
    expect(await replay(capture(11))).toMatchObject({ status: 'FAIL', code: 'axis.register_forbidden' });
  });
});

describe('refused requests get the SDK error envelope and change nothing', () => {
  test('a tampered body, a wrong secret, an unknown systemid, an edited header, and a missing signature are each refused with a clear reason', async () => {
    const file = await makePackage({ from: H53, to: [G22] });
    const overrides = { 'hash-file': unpaddedSha256Hex(file), timestamp: sdkTimestamp(new Date()) };
    const tampered = Buffer.from(file);
    tampered[tampered.length - 20] = 0x41;
    const before = await axisRepo.countPackages(axis.deps.db);
    const cases = [
      { res: await replay(capture(1), { overrides, body: Buffer.concat([tampered, Buffer.from('\r\n')]) }), code: 'axis.hash_file_mismatch', desc: /Mã băm tệp/ },
      { res: await replay(capture(1), { overrides, body: file, secret: 'wrong-secret' }), code: 'axis.bad_signature', desc: /sai khóa bí mật/ },
      { res: await replay(capture(1), { overrides: { ...overrides, systemid: '000.00.99.H99' }, body: file }), code: 'axis.unknown_system', desc: /000\.00\.99\.H99/ },
      {
        res: await replay(capture(1), { overrides, body: file, tamper: (h) => { const i = h.findIndex(([k]) => k === 'XroadVnpt-from'); h[i] = ['XroadVnpt-from', G22]; } }),
        code: 'axis.header_mismatch', desc: /XroadVnpt-from/,
      },
      { res: await replay(capture(1), { overrides, body: file, tamper: (h) => { h.splice(h.findIndex(([k]) => k === 'XroadVnpt-hash-header'), 1); } }), code: 'axis.auth_missing', desc: /Thiếu tiêu đề/ },
    ];
    for (const c of cases) {
      expect(c.res, c.code).toMatchObject({ status: 'FAIL', ErrorCode: '-1', DocId: '', code: c.code });
      expect(c.res.ErrorDesc).toMatch(c.desc);
    }
    expect(await axisRepo.countPackages(axis.deps.db)).toBe(before);
  });

  test('no system can be registered under the reserved sender id of packages pulled from the parent', async () => {
    await expect(addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: '@parent', name: 'x', secret: 'xxxxxxxxxx', kind: 'agency' })).rejects.toMatchObject({ code: 'axis.bad_agency' });
  });

  test('an agency system cannot send a package whose From is another agency', async () => {
    const forged = await makePackage({ from: G22, to: [H53] });
    await expect(h53.sendEdoc(forged)).rejects.toMatchObject({ code: 'axis.remote_error', details: { code: 'axis.from_not_served' } });
  });

  test('a package for an agency nobody serves (and no parent axis) is refused; a mixed one reaches the known recipient and reports the other as failed', async () => {
    await expect(h53.sendEdoc(await makePackage({ from: H53, to: ['000.00.77.H77'] }))).rejects.toMatchObject({ details: { code: 'axis.no_recipient' } });
    const { docId } = await h53.sendEdoc(await makePackage({ from: H53, to: [G22, '000.00.77.H77'] }));
    const sent = (await h53.getSentEdocList('edoc')).filter((s) => s.senderDocId === docId);
    expect(sent).toEqual(expect.arrayContaining([
      expect.objectContaining({ toCode: G22, sendStatus: 'sent', receiveStatus: 'initial' }),
      expect.objectContaining({ toCode: '000.00.77.H77', sendStatus: 'fail', sendStatusDesc: 'Không tìm thấy cơ quan nhận 000.00.77.H77 trên trục' }),
    ]));
  });
});

describe('store and forward', () => {
  test('an unsigned package gets this hop\'s TraceHeader; a signed package is delivered byte for byte (its XML-DSig covers the TraceHeaderList)', async () => {
    const plain = await makePackage({ from: H53, to: [G22] });
    const plainDoc = await h53.sendEdoc(plain);
    const delivered = await parseEdxml(await g22.getEdoc(plainDoc.docId));
    expect(delivered.kind === 'edoc' && delivered.header.traceHeaderList.traceHeader.map((t) => t.organId)).toEqual([H53, '000.00.00.H53']);
    expect(Buffer.from(await h53.getEdoc(plainDoc.docId)).equals(Buffer.from(plain))).toBe(true);
    const signed = await makePackage({ from: H53, to: [G22], signer: makeTestSigner('ec') });
    const signedDoc = await h53.sendEdoc(signed);
    const got = await g22.getEdoc(signedDoc.docId);
    expect(Buffer.from(got).equals(Buffer.from(signed))).toBe(true);
    expect((await parseEdxml(got)).signature.valid).toBe(true);
    expect((await axisRepo.traceOf(axis.deps.db, signedDoc.docId)).map((t) => t.event)).toEqual(['accepted']);
  });

  test('a small package is kept in the axis database; one larger than 4 MiB is stored as a blob file, delivered byte for byte, and its replay gets the first DocId', async () => {
    const small = await h53.sendEdoc(await makePackage({ from: H53, to: [G22] }));
    const smallPkg = await axisRepo.findPackage(axis.deps.db, small.docId);
    expect(await axisRepo.findBody(axis.deps.db, smallPkg?.sha256 ?? '')).toBeDefined();
    expect(await axis.deps.blobs.has(smallPkg?.sha256 ?? '')).toBe(false);
    const large = await makePackage({ from: H53, to: [G22], signer: makeTestSigner('ec'), attachmentBytes: BODY_IN_LOG_MAX_BYTES });
    const { docId } = await h53.sendEdoc(large);
    const pkg = await axisRepo.findPackage(axis.deps.db, docId);
    expect(await axisRepo.findBody(axis.deps.db, pkg?.sha256 ?? '')).toBeUndefined();
    expect(await axis.deps.blobs.has(pkg?.sha256 ?? '')).toBe(true);
    expect(Buffer.from(await g22.getEdoc(docId)).equals(Buffer.from(large))).toBe(true);
    expect((await h53.sendEdoc(large)).docId).toBe(docId);
  });

  test('a body this axis accepted is served from memory only while its row is in the database; another axis process on the same database serves it from the database', async () => {
    const file = await makePackage({ from: H53, to: [G22], signer: makeTestSigner('ec') });
    const { docId } = await h53.sendEdoc(file);
    const pkg = await axisRepo.findPackage(axis.deps.db, docId);
    const row = await axis.deps.db.selectFrom('axisBody').selectAll().where('sha256', '=', pkg?.sha256 ?? '').executeTakeFirstOrThrow();
    await axis.deps.db.deleteFrom('axisBody').where('sha256', '=', row.sha256).execute();
    await expect(g22.getEdoc(docId)).rejects.toMatchObject({ code: 'axis.remote_error' });
    await axis.deps.db.insertInto('axisBody').values(row).execute();
    expect(Buffer.from(await g22.getEdoc(docId)).equals(Buffer.from(file))).toBe(true);
    const other = await startAxisWith(axis.deps, async () => undefined, { port: 0, axisCode: '000.00.00.H53', autoStart: false });
    try {
      const viaOther = createAxisClient({ endpoint: other.endpoint, systemId: G22, secret: 'g22-secret-0001' });
      expect(Buffer.from(await viaOther.getEdoc(docId)).equals(Buffer.from(file))).toBe(true);
      viaOther.close();
    } finally {
      await other.stop();
    }
  });

  test('getEdoc responses fetched side by side, and again into reused response buffers of other sizes, each carry exactly their own package', async () => {
    const signer = makeTestSigner('ec'); // signed: delivered byte for byte (an unsigned one gets this hop's TraceHeader)
    const files = await Promise.all([300_000, 20_000, 150_000, 1_000, 90_000].map((attachmentBytes) => makePackage({ from: H53, to: [G22], attachmentBytes, signer })));
    const ids: string[] = [];
    for (const file of files) ids.push((await h53.sendEdoc(file)).docId);
    for (const order of [ids, [...ids].reverse()]) {
      const got = await Promise.all(order.map((docId) => g22.getEdoc(docId)));
      got.forEach((bytes, i) => expect(Buffer.from(bytes).equals(Buffer.from(files[ids.indexOf(order[i] ?? '')] ?? [])), `package ${i}`).toBe(true));
    }
  });

  test('a package rebuilt with the same DocumentId is stored once; concurrent identical sends store one package', async () => {
    const a = await makePackage({ from: H53, to: [G22], number: '4242' });
    const b = await makePackage({ from: H53, to: [G22], number: '4242' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    const first = await h53.sendEdoc(a);
    expect((await h53.sendEdoc(b)).docId).toBe(first.docId);
    const c = await makePackage({ from: H53, to: [G22] });
    const before = await axisRepo.countPackages(axis.deps.db);
    const ids = await Promise.all(Array.from({ length: 8 }, () => h53.sendEdoc(c)));
    expect(new Set(ids.map((r) => r.docId)).size).toBe(1);
    expect(await axisRepo.countPackages(axis.deps.db)).toBe(before + 1);
  });

  test('two statuses of one code in one second that say different things are two packages; the same status again is one', async () => {
    const refusal = (description: string) => makeStatusPackage({ from: H53, to: G22, code: '16', description, timestamp: '2026/03/02 11:00:00' });
    const recall = await h53.sendEdoc(await refusal('Từ chối thu hồi: văn bản đã được trả lại'), { messagetype: 'status' });
    const update = await h53.sendEdoc(await refusal('Từ chối cập nhật: văn bản đã được trả lại'), { messagetype: 'status' });
    expect(update.docId).not.toBe(recall.docId);
    expect((await h53.sendEdoc(await refusal('Từ chối thu hồi: văn bản đã được trả lại'), { messagetype: 'status' })).docId).toBe(recall.docId);
    const received = (await g22.getReceivedEdocList('status')).map((r) => r.docId);
    expect(received).toEqual(expect.arrayContaining([recall.docId, update.docId]));
  });

  test('two different updates of one document are two packages; the same update rebuilt is one', async () => {
    const update = (subject: string) => makePackage({ from: H53, to: [G22], number: '6161', isUpdate: true, subject });
    const first = await h53.sendEdoc(await update('V/v cập nhật lần 1'));
    const second = await h53.sendEdoc(await update('V/v cập nhật lần 2'));
    expect(second.docId).not.toBe(first.docId);
    expect((await h53.sendEdoc(await update('V/v cập nhật lần 1'))).docId).toBe(first.docId);
  });

  test('a recipient the axis could not deliver to gets the package when the sender sends it again after the recipient joined: same DocId, delivered once to each, traced', async () => {
    const late = '000.00.06.H53';
    const first = await makePackage({ from: H53, to: [G22, late], number: '5151' });
    const { docId } = await h53.sendEdoc(first);
    const sentTo = async () => Object.fromEntries((await h53.getSentEdocList('edoc')).filter((s) => s.senderDocId === docId).map((s) => [s.toCode, s.sendStatus]));
    expect(await sentTo()).toEqual({ [G22]: 'sent', [late]: 'fail' });
    // Sent again before anything changed: nothing changes.
    expect((await h53.sendEdoc(first)).docId).toBe(docId);
    expect(await sentTo()).toEqual({ [G22]: 'sent', [late]: 'fail' });

    await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: late, name: 'Sở Khoa học và Công nghệ', secret: 'skhcn-secret-1', kind: 'agency' });
    const lateClient = createAxisClient({ endpoint: axis.endpoint, systemId: late, secret: 'skhcn-secret-1' });
    // The connector re-sends a rebuilt package (same DocumentId, other bytes) for the failed recipient only.
    const again = await makePackage({ from: H53, to: [late], number: '5151' });
    expect((await h53.sendEdoc(again)).docId).toBe(docId);
    expect(await sentTo()).toEqual({ [G22]: 'sent', [late]: 'sent' });
    expect((await lateClient.getReceivedEdocList('edoc')).filter((r) => r.docId === docId)).toHaveLength(1);
    // What the first package said (this unsigned test package also carries this hop's TraceHeader).
    expect(Buffer.from(await lateClient.getEdoc(docId)).toString('utf8')).toContain(`<edXML:DocumentId>${H53},2026/03/02,5151/UBND-VP</edXML:DocumentId>`);
    expect((await g22.getReceivedEdocList('edoc')).filter((r) => r.docId === docId)).toHaveLength(1);
    expect((await h53.sendEdoc(again)).docId).toBe(docId);
    expect((await axisRepo.traceOf(axis.deps.db, docId)).filter((t) => t.event === 'rerouted')).toEqual([expect.objectContaining({ detail: `sent again: now routed to ${late}` })]);
  });

  test('the directory lists the served agencies; a system removed from the axis is synced as deleted and can no longer call', async () => {
    await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: '000.00.05.H53', name: 'Sở Tư pháp', secret: 'stp-secret-01', kind: 'agency' });
    const stp = createAxisClient({ endpoint: axis.endpoint, systemId: '000.00.05.H53', secret: 'stp-secret-01' });
    expect((await stp.getAgenciesList()).map((a) => a.code)).toEqual(expect.arrayContaining([H53, G22, '000.00.05.H53']));
    const { removeSystem } = await import('./axis.directory.ts');
    await removeSystem({ db: axis.deps.db, systemId: '000.00.05.H53' });
    expect((await h53.getSynchronizeUnit()).find((u) => u.code === '000.00.05.H53')).toMatchObject({ deleted: true, version: 2 });
    expect((await h53.getAgenciesList()).map((a) => a.code)).not.toContain('000.00.05.H53');
    await expect(stp.getAgenciesList()).rejects.toMatchObject({ details: { code: 'axis.unknown_system' } });
    stp.close();
  });

  test('what deliveries and traces refer to stays: a package or a system cannot be deleted or renamed, and a trace is only ever added to a stored package', async () => {
    const { docId } = await h53.sendEdoc(await makePackage({ from: H53, to: [G22] }));
    const { db } = axis.deps;
    const refusal = (p: Promise<unknown>) => p.then(() => 'done', (e: unknown) => (e as { code?: string }).code);
    expect(await refusal(db.deleteFrom('axisPackage').where('docId', '=', docId).execute())).toBe('23001');
    expect(await refusal(db.updateTable('axisPackage').set({ docId: crypto.randomUUID() }).where('docId', '=', docId).execute())).toBe('23001');
    expect(await refusal(db.deleteFrom('axisSystem').where('systemId', '=', G22).execute())).toBe('23001');
    expect(await refusal(db.updateTable('axisSystem').set({ systemId: 'X' }).where('systemId', '=', G22).execute())).toBe('23001');
    expect((await axisRepo.deliveriesOf(db, docId)).map((d) => d.systemId)).toEqual([G22]);
    await axisRepo.addTrace(db, { docId, organId: 'VXP', event: 'forwarded' });
    await axisRepo.addTrace(db, { docId: crypto.randomUUID(), organId: 'VXP', event: 'forwarded' });
    expect((await axisRepo.traceOf(db, docId)).map((t) => t.event)).toEqual(['accepted', 'forwarded']);
    expect(await db.selectFrom('axisTrace').leftJoin('axisPackage', 'axisPackage.docId', 'axisTrace.docId').where('axisPackage.docId', 'is', null).select('id').execute()).toEqual([]);
  });
});
