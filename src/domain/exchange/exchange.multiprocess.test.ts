import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { DEMO_SIGNING_PIN } from '../certificates/certificates.service.ts';
import { buildSdkRequest, createAxisClient, parseSdkResponse, sendSdkRequest } from './axis/axis.client.ts';
import { makePackage } from './axis/axis.testing.ts';
import { parseEdxml } from './edxml/edxml.parse.ts';
import { makeTestSigner } from './edxml/edxml.testing.ts';
import {
  addAxisAgency, alterStoredPackages, cleanUp, eventually, installEnv, isRunning, newStorage, signIn, startAxis, startInstall, vanthuCli,
  type Api, type Axis, type Install,
} from './exchange.multiprocess.harness.ts';

/**
 * Inter-agency exchange as it runs in production: one `vanthu axis serve` and three `vanthu serve`
 * processes, each with its own data directory and database, set up with the operator CLIs
 * (`vanthu axis agency add`, `vanthu admin create-agency|create-user`) and driven only through the
 * installs' HTTP API as their users (session cookie + CSRF token), like the web app does. The axis
 * is killed with SIGKILL and restarted on the same data in the middle of sends. A raw SDK client
 * plays the attacker. PGlite by default; PostgreSQL databases when TEST_DATABASE_URL is set.
 */

const PASSWORD = 'LienThong@2026';
type Agency = { key: string; code: string; name: string; shortName: string; secret: string; exchange: Record<string, string> };
// The senders' timings: poll often, retry soon and long enough to outlast an axis restart.
const PATIENT = { VANTHU_EXCHANGE_POLL_MS: '250', VANTHU_EXCHANGE_RETRY_MS: '50', VANTHU_EXCHANGE_MAX_ATTEMPTS: '10', VANTHU_EXCHANGE_TIMEOUT_MS: '5000', VANTHU_EXCHANGE_LEASE_MS: '5000' };
const AGENCIES: Agency[] = [
  { key: 'a', code: '000.00.11.G10', name: 'Ủy ban nhân dân tỉnh Liên Thông', shortName: 'UBND', secret: 'secret-of-a-ubnd-tinh', exchange: PATIENT },
  { key: 'b', code: '000.00.12.G10', name: 'Sở Tài chính tỉnh Liên Thông', shortName: 'STC', secret: 'secret-of-b-so-tai-chinh', exchange: PATIENT },
  // C gives up quickly: three attempts, 100 ms then 400 ms apart (the unreachable-recipient case).
  { key: 'c', code: '000.00.13.G10', name: 'Sở Y tế tỉnh Liên Thông', shortName: 'SYT', secret: 'secret-of-c-so-y-te',
    exchange: { ...PATIENT, VANTHU_EXCHANGE_RETRY_MS: '100', VANTHU_EXCHANGE_MAX_ATTEMPTS: '3' } },
];

type Site = Agency & { install: Install; clerk: Api; leader: Api; staff: Api; admin: Api; leaderId: string; staffId: string };
let axis: Axis;
let axisStorage: Awaited<ReturnType<typeof newStorage>>;
const sites: Record<string, Site> = {};
const site = (key: string) => sites[key] as Site;

/**
 * One agency on its own install: created with the admin CLI (its first admin), then its people and its
 * axis endpoint through the API (the axis may still be starting: its address is awaited only then).
 */
async function setUpInstall(agency: Agency, axisEndpoint: Promise<string>): Promise<Site> {
  const storage = await newStorage(agency.key);
  const env = installEnv(storage, agency.exchange);
  await vanthuCli(['admin', 'create-agency', '--code', agency.code, '--name', agency.name, '--short-name', agency.shortName, '--level', 'department', '--place-name', 'Liên Thông'], env);
  await vanthuCli(['admin', 'create-user', '--agency', agency.code, '--username', `${agency.key}.quantri`, '--full-name', 'Quản Trị Viên', '--password', PASSWORD, '--roles', 'admin'], env);
  const install = await startInstall(env);
  const admin = await signIn(install.url, `${agency.key}.quantri`, PASSWORD);
  const people = { clerk: ['Nguyễn Thị Văn Thư', 'Văn thư', 'clerk'], leader: ['Trần Văn Lãnh', 'Giám đốc', 'leader'], staff: ['Lê Thị Chuyên', 'Chuyên viên', 'staff'] } as const;
  const ids: Record<string, string> = {};
  for (const [role, [fullName, position, r]] of Object.entries(people)) {
    const user = await admin.post<{ id: string }>('/api/users', { username: `${agency.key}.${role}`, fullName, position, roles: [r], password: PASSWORD, mustChangePassword: false });
    ids[role] = user.id;
  }
  await admin.post('/api/exchange/endpoint', { endpoint: await axisEndpoint, systemId: agency.code, secret: agency.secret, isEnabled: true });
  const [clerk, leader, staff] = await Promise.all(['clerk', 'leader', 'staff'].map((role) => signIn(install.url, `${agency.key}.${role}`, PASSWORD)));
  return { ...agency, install, admin, clerk: clerk as Api, leader: leader as Api, staff: staff as Api, leaderId: ids.leader ?? '', staffId: ids.staff ?? '' };
}

type Recipient = { agencyCode: string; statusCode: string | null; recallCode: string | null; events: { code: string }[] };
type Outgoing = { id: string; number: number; notation: string; numberText: string; recipients: Recipient[] };
type Incoming = { id: string; subject: string; status: string; dueDate: string | null; issuerCode: string; number: string; notation: string; documentDate: string };
type OutboxRow = { id: string; outgoingId: string | null; recipientAgencyCode: string; status: string; attempts: number; lastError: string | null; packageKind: string; nextAttemptAt: string };

/** Drafts (staff), approves with the demo PIN (leader) — all in one batch — and returns the draft ids, ready to issue. */
async function approvedDrafts(from: Site, to: Site[] | { code: string; name: string }[], subjects: string[], dueDate: string | null = null): Promise<string[]> {
  const ids: string[] = [];
  for (const subject of subjects) {
    const draft = await from.staff.post<{ id: string }>('/api/outgoing', {
      typeCode: 'cong_van', subject, urgency: 'thuong', signerId: from.leaderId, signerPosition: 'Giám đốc', dueDate,
      recipients: to.map((r) => ({ kind: 'external', agencyCode: r.code, name: r.name })), recipientsText: '- Như trên;\n- Lưu: VT.',
    });
    await from.staff.post(`/api/outgoing/${draft.id}/sample-file`);
    await from.staff.post(`/api/outgoing/${draft.id}/submit`, { reviewerIds: [] });
    ids.push(draft.id);
  }
  const signed = await from.leader.post<{ ok: boolean }[]>('/api/outgoing/sign', { ids, pin: DEMO_SIGNING_PIN });
  expect(signed.every((s) => s.ok)).toBe(true);
  return ids;
}

async function issue(from: Site, draftId: string): Promise<Outgoing> {
  await from.clerk.post(`/api/outgoing/${draftId}/issue`);
  return from.clerk.get<Outgoing>(`/api/outgoing/${draftId}`);
}

async function send(from: Site, to: Site[], subject: string, dueDate: string | null = null): Promise<Outgoing> {
  const [id] = await approvedDrafts(from, to, [subject], dueDate);
  return issue(from, id ?? '');
}

const outgoing = (s: Site, id: string) => s.clerk.get<Outgoing>(`/api/outgoing/${id}`);
const recipientOf = async (s: Site, id: string, code: string) => (await outgoing(s, id)).recipients.find((r) => r.agencyCode === code);
const incomingWith = async (s: Site, subject: string, box = 'all') =>
  (await s.clerk.get<Incoming[]>(`/api/incoming?box=${box}&limit=200`)).filter((d) => d.subject === subject);
/** The single incoming document with this subject once it has arrived (and checks it arrived once). */
const arrived = (s: Site, subject: string) => eventually(`"${subject}" at ${s.code}`, async () => {
  const found = await incomingWith(s, subject);
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0];
});
const outbox = (s: Site, status?: string) => s.clerk.get<OutboxRow[]>(`/api/exchange/outbox?limit=200${status ? `&status=${status}` : ''}`);

/**
 * Waits until the connector of each site has finished `n` more rounds (its endpoint's last poll moved
 * `n` times): "nothing more arrives" is checked after real polling on that side, not after a guessed delay.
 */
async function afterRounds(list: Site[], n = 2): Promise<void> {
  const lastPoll = async (s: Site) => (await s.clerk.get<{ lastPollAt: string | null }>('/api/exchange/endpoint')).lastPollAt;
  await Promise.all(list.map(async (s) => {
    let seen = await lastPoll(s);
    for (let i = 1; i <= n; i++) {
      const before = seen;
      seen = await eventually(`connector round ${i} of ${n} at ${s.code}`, async () => {
        const at = await lastPoll(s);
        return at !== before && at;
      }, { everyMs: 50 });
    }
  }));
}

beforeAll(async () => {
  // The installs are set up while the axis starts (on a port it picks itself); they need its address only at the end.
  axisStorage = await newStorage('axis');
  const startingAxis = (async () => {
    for (const a of AGENCIES) await addAxisAgency(axisStorage, a.code, a.name, a.secret);
    axis = await startAxis(axisStorage);
    return axis.endpoint;
  })();
  const [installs] = await Promise.all([Promise.all(AGENCIES.map((a) => setUpInstall(a, startingAxis))), startingAxis]);
  for (const s of installs) sites[s.key] = s;
}, 300_000);
afterAll(cleanUp, 60_000);

/** Restarts in progress: a test may end (fail, time out) while one runs; the next test waits for it instead of racing it for the port. */
const restarts = new Set<Promise<unknown>>();
const tracked = <T>(start: Promise<T>): Promise<T> => {
  restarts.add(start);
  void start.catch(() => undefined).finally(() => restarts.delete(start));
  return start;
};
const restartAxis = () => tracked(startAxis(axisStorage, axis.port).then((started) => { axis = started; }));
const restartInstall = (s: Site) => tracked(startInstall(s.install.env).then((started) => { s.install = started; }));

// Every test starts with all four processes up: what a previous test stopped is started again (on the same port) or awaited.
beforeEach(async () => {
  await Promise.allSettled([...restarts]);
  if (!isRunning(axis)) await restartAxis();
  for (const s of Object.values(sites)) if (!isRunning(s.install)) await restartInstall(s);
}, 120_000);

// A scenario waits for several things in turn (each `eventually` up to 30 s on a loaded machine): the default 60 s made a slow
// scenario time out while it had a process stopped, and the next one then met ECONNREFUSED.
describe('one axis and three vanthu installs as separate processes', { timeout: 240_000 }, () => {
  test('a document to two recipients: both receive it once, and every status comes back to the sender (01 03 04 05 06 / 01 02)', async () => {
    const [a, b, c] = [site('a'), site('b'), site('c')];
    const subject = 'V/v báo cáo tình hình thực hiện dự toán ngân sách';
    const doc = await send(a, [b, c], subject);
    expect(doc.recipients.map((r) => r.agencyCode).sort()).toEqual([b.code, c.code]);
    const [atB, atC] = await Promise.all([arrived(b, subject), arrived(c, subject)]);
    expect(atB).toMatchObject({ status: 'received', issuerCode: a.code, notation: doc.notation });
    await eventually('01 from both', async () => (await outgoing(a, doc.id)).recipients.every((r) => r.statusCode === '01'));

    await b.clerk.post(`/api/incoming/${atB.id}/register`, { issuerName: a.name, issuerCode: a.code, number: atB.number, notation: atB.notation, documentDate: atB.documentDate, typeCode: 'cong_van', subject });
    await b.clerk.post(`/api/incoming/${atB.id}/forward`, { leaderId: b.leaderId });
    await b.leader.post(`/api/incoming/${atB.id}/direct`, { direction: 'Giao chuyên viên tổng hợp, báo cáo', lead: { userId: b.staffId } });
    const detail = await b.staff.get<{ assignments: { id: string; isMine: boolean }[] }>(`/api/incoming/${atB.id}`);
    const part = detail.assignments.find((x) => x.isMine);
    await b.staff.post(`/api/incoming/${atB.id}/progress`, { assignmentId: part?.id, text: 'Đang tổng hợp số liệu' });
    await b.staff.post(`/api/incoming/${atB.id}/close`, { note: 'Đã báo cáo' });
    await c.clerk.post(`/api/incoming/${atC.id}/refuse`, { reason: 'Không thuộc thẩm quyền của Sở Y tế' });

    // Statuses travel as separate packages and may arrive in any order; the timeline holds each once.
    const codes = (r: Recipient | undefined) => (r?.events ?? []).map((e) => e.code).sort();
    await eventually('every status of B and C back at A', async () => {
      const [rb, rc] = [await recipientOf(a, doc.id, b.code), await recipientOf(a, doc.id, c.code)];
      return rb?.statusCode === '06' && rc?.statusCode === '02';
    }, { show: async () => (await outgoing(a, doc.id)).recipients });
    expect(codes(await recipientOf(a, doc.id, b.code))).toEqual(['01', '03', '04', '05', '06']);
    expect(codes(await recipientOf(a, doc.id, c.code))).toEqual(['01', '02']);
    expect(await outbox(a)).toEqual(expect.arrayContaining([expect.objectContaining({ outgoingId: doc.id, status: 'sent' })]));
  });

  test('a recall agreed by one recipient and refused by the other: 15 and 16 back at the sender; the agreed copy leaves the active lists', async () => {
    const [a, b, c] = [site('a'), site('b'), site('c')];
    const subject = 'V/v triển khai kế hoạch (văn bản sẽ thu hồi)';
    const doc = await send(a, [b, c], subject);
    const [atB, atC] = await Promise.all([arrived(b, subject), arrived(c, subject)]);
    await a.clerk.post(`/api/outgoing/${doc.id}/recall`, { reason: 'Ban hành sai thẩm quyền' });
    type Req = { id: string; kind: string; reason: string; senderCode: string };
    const request = (s: Site) => eventually(`recall request at ${s.code}`, async () =>
      (await s.clerk.get<Req[]>('/api/exchange/requests?status=pending')).find((r) => r.kind === 'recall' && r.senderCode === a.code));
    const [reqB, reqC] = await Promise.all([request(b), request(c)]);
    expect(reqB).toMatchObject({ reason: 'Ban hành sai thẩm quyền' });
    await b.clerk.post(`/api/exchange/requests/${reqB.id}/answer`, { agree: true });
    await c.clerk.post(`/api/exchange/requests/${reqC.id}/answer`, { agree: false, note: 'Đã giao xử lý' });
    const again = await c.clerk.request('POST', `/api/exchange/requests/${reqC.id}/answer`, { agree: true });
    expect(again.body.error?.code).toBe('incoming.request_answered');

    await eventually('15 and 16 back at A', async () =>
      (await recipientOf(a, doc.id, b.code))?.recallCode === '15' && (await recipientOf(a, doc.id, c.code))?.recallCode === '16');
    expect((await b.clerk.get<{ doc: Incoming }>(`/api/incoming/${atB.id}`)).doc.status).toBe('recalled');
    expect(await incomingWith(b, subject, 'intake')).toEqual([]);
    expect((await c.clerk.get<{ doc: Incoming }>(`/api/incoming/${atC.id}`)).doc.status).toBe('received');
    expect(await incomingWith(c, subject, 'intake')).toHaveLength(1);
  });

  test('an update: the recipient agrees, its copy gets the new subject and deadline, and 15 comes back', async () => {
    const [a, b] = [site('a'), site('b')];
    const doc = await send(a, [b], 'V/v trích yếu trước khi cập nhật', '2026-12-20');
    const atB = await arrived(b, 'V/v trích yếu trước khi cập nhật');
    expect(atB.dueDate).toBe('2026-12-20');
    await a.clerk.post(`/api/exchange/outgoing/${doc.id}/update`, { reason: 'Sửa trích yếu và hạn trả lời', subject: 'V/v trích yếu sau khi cập nhật', dueDate: '2026-12-31' });
    const req = await eventually('update request at B', async () =>
      (await b.clerk.get<{ id: string; kind: string; reason: string }[]>('/api/exchange/requests?status=pending')).find((r) => r.kind === 'update'));
    expect(req.reason).toBe('Sửa trích yếu và hạn trả lời');
    await b.clerk.post(`/api/exchange/requests/${req.id}/answer`, { agree: true });
    expect((await b.clerk.get<{ doc: Incoming }>(`/api/incoming/${atB.id}`)).doc).toMatchObject({ subject: 'V/v trích yếu sau khi cập nhật', dueDate: '2026-12-31' });
    await eventually('15 for the update back at A', async () => (await recipientOf(a, doc.id, b.code))?.recallCode === '15');
  });

  // Longer: a send retried with backoff while the axis was down may be due a few minutes later (50 ms × 4ⁿ).
  test('the axis killed with SIGKILL in the middle of sends and restarted on the same data: every document arrives once and its 01 comes back', { timeout: 480_000 }, async () => {
    const [a, b] = [site('a'), site('b')];
    const subjects = Array.from({ length: 8 }, (_, i) => `V/v gửi trong lúc trục khởi động lại, văn bản ${i + 1}`);
    const drafts = await approvedDrafts(a, [b], subjects);
    const docs: Outgoing[] = [];
    for (const id of drafts.slice(0, 4)) docs.push(await issue(a, id));
    const mine = (rows: OutboxRow[]) => rows.filter((r) => docs.some((d) => d.id === r.outgoingId));
    await eventually('a first package of the burst on the axis', async () => mine(await outbox(a, 'sent')).length > 0, { everyMs: 50 });
    await axis.kill('SIGKILL');
    for (const id of drafts.slice(4)) docs.push(await issue(a, id));
    const waiting = await eventually('sends failing while the axis is down', async () => {
      // attempts counts a claim; lastError is written when that attempt has failed
      const rows = (await outbox(a, 'pending')).filter((r) => r.outgoingId === docs.at(-1)?.id && r.lastError);
      return rows[0];
    });
    expect(waiting.lastError).toContain('sẽ thử lại');

    await restartAxis();
    for (const [i, subject] of subjects.entries()) {
      const doc = docs[i] as Outgoing;
      await arrived(b, subject);
      await eventually(`01 for document ${i + 1}`, async () => (await recipientOf(a, doc.id, b.code))?.statusCode === '01');
    }
    // Nothing taken in twice, even after more rounds of polling on both sides.
    await afterRounds([a, b]);
    for (const subject of subjects) expect(await incomingWith(b, subject), subject).toHaveLength(1);
    // A send the restarted axis took but answered too late (client timeout under load) stays pending until its next
    // attempt, which the axis answers with the first DocId: wait for the attempt the connector has scheduled.
    const latest = Math.max(Date.now(), ...mine(await outbox(a, 'pending')).map((r) => new Date(r.nextAttemptAt).getTime()));
    const rows = await eventually('every outbox row sent', async () => {
      const all = mine(await outbox(a));
      return all.every((r) => r.status === 'sent') && all;
    }, { timeoutMs: latest - Date.now() + 30_000, show: async () => mine(await outbox(a)) });
    expect(rows).toHaveLength(8);
    for (const d of docs) expect((await outgoing(a, d.id)).recipients[0]?.events.filter((e) => e.code === '01')).toHaveLength(1);
  });

  test('a recipient whose server is stopped: the axis keeps its documents; back, it takes each in once, and one altered in the axis store is refused, never taken in', async () => {
    const [a, c] = [site('a'), site('c')];
    await c.install.kill('SIGTERM');
    const subject = 'V/v gửi khi máy chủ của Sở Y tế đang dừng';
    const alteredSubject = 'V/v văn bản bị sửa trong kho của trục';
    const doc = await send(a, [c], subject);
    const altered = await send(a, [c], alteredSubject);
    await eventually('both packages accepted by the axis', async () => {
      const sent = await outbox(a, 'sent');
      return [doc, altered].every((d) => sent.some((r) => r.outgoingId === d.id));
    });
    expect((await recipientOf(a, doc.id, c.code))?.statusCode).toBeNull();

    // Change the stored bytes of one signed package while the axis is stopped (its database is its store), then start it again on the same port.
    await axis.kill('SIGTERM');
    expect(await alterStoredPackages(axisStorage, alteredSubject, 'V/v nội dung đã bị thay đổi')).toBeGreaterThan(0);
    await restartAxis();

    await restartInstall(c);
    await arrived(c, subject);
    await eventually('01 from the restarted recipient', async () => (await recipientOf(a, doc.id, c.code))?.statusCode === '01');
    type Refused = { reason: string };
    const refusal = await eventually('the altered package refused by C', async () =>
      (await c.clerk.get<Refused[]>('/api/exchange/refused')).find((r) => /chữ ký/i.test(r.reason)));
    expect(refusal.reason).toContain('exchange.package_refused');
    await afterRounds([c]);
    expect(await incomingWith(c, subject)).toHaveLength(1);
    expect(await incomingWith(c, alteredSubject)).toEqual([]);
    expect(await incomingWith(c, 'V/v nội dung đã bị thay đổi')).toEqual([]);
    expect((await recipientOf(a, altered.id, c.code))?.statusCode).toBeNull();
  });

  test('a recipient the axis does not serve: the send is retried, then the clerk sees it failed with the reason, and can put it back', async () => {
    const c = site('c');
    const nowhere = { code: '000.00.77.Z77', name: 'Cơ quan không có trên trục' };
    const [draftId] = await approvedDrafts(c, [nowhere], ['V/v gửi cơ quan không có trên trục']);
    const doc = await issue(c, draftId ?? '');
    const failed = await eventually('the package marked failed', async () => (await outbox(c, 'failed')).find((r) => r.outgoingId === doc.id));
    expect(failed).toMatchObject({ recipientAgencyCode: nowhere.code, attempts: 3 });
    expect(failed.lastError).toContain('axis.remote_error');
    expect(failed.lastError).toContain(`không có cơ quan nhận nào mà trục chuyển tới được: ${nowhere.code}`);
    expect((await c.staff.request('GET', '/api/exchange/outbox')).status).toBe(403);
    expect(await c.clerk.post(`/api/exchange/outbox/${failed.id}/retry`)).toMatchObject({ id: failed.id, status: 'pending', attempts: 0 });
    // Put back, it is tried again (the axis still serves no such agency) and fails again after three attempts.
    await eventually('the package failed again', async () => (await outbox(c, 'failed')).find((r) => r.id === failed.id && r.attempts === 3));
    // Only a failed package can be put back (C's statuses went out fine).
    const [sent] = await outbox(c, 'sent');
    expect((await c.clerk.request('POST', `/api/exchange/outbox/${sent?.id ?? ''}/retry`)).body.error?.code).toBe('exchange.outbox_not_found');
  });

  test('a forged, a tampered and a replayed package, and a request with a wrong HMAC: refused or ignored, and logged', async () => {
    const [a, b] = [site('a'), site('b')];
    const subject = 'V/v gói tin gốc bị kẻ gian ghi lại';
    const doc = await send(a, [b], subject);
    await arrived(b, subject);

    // Someone holding A's axis credentials (but not A's seal) and a copy of A's package, taken from the axis.
    const credentials = { endpoint: axis.endpoint, systemId: a.code, secret: a.secret };
    const asA = createAxisClient(credentials);
    let original: { docId: string; bytes: Uint8Array; documentId: string } | undefined;
    for (const item of (await asA.getSentEdocList()).filter((s) => s.toCode === b.code).reverse()) {
      const bytes = await asA.getEdoc(item.senderDocId ?? '');
      const header = (await parseEdxml(Buffer.from(bytes), { attachmentSink: 'discard' })).header.messageHeader as { subject?: string; documentId?: string };
      if (header.subject === subject) original = { docId: item.senderDocId ?? '', bytes, documentId: header.documentId ?? '' };
    }
    if (!original) throw new Error('the original package is not on the axis');

    // Replayed: the very same signed SDK request, twice: the axis answers the first DocId, nothing is delivered again.
    const replay = buildSdkRequest(credentials, { op: 'sendEdoc', body: original.bytes, params: [['from', a.code], ['servicetype', 'eDoc'], ['messagetype', 'edoc']] });
    for (let i = 0; i < 2; i++) expect(parseSdkResponse(await sendSdkRequest(replay)).DocId).toBe(original.docId);

    // Tampered: the captured package with another subject and document id (so the axis takes it as new); A's signature no longer matches.
    const tamperedSubject = 'V/v gói tin đã bị sửa trên đường truyền';
    const tampered = Buffer.from(Buffer.from(original.bytes).toString('utf8').replaceAll(subject, tamperedSubject).replaceAll(original.documentId, `${original.documentId}-SUA`), 'utf8');
    const { docId: tamperedId } = await asA.sendEdoc(tampered, { from: a.code, to: [{ code: b.code }] });
    // Forged: a well-formed package claiming to come from A, signed with another key.
    const forgedSubject = 'V/v văn bản giả danh Ủy ban nhân dân tỉnh';
    const { docId: forgedId } = await asA.sendEdoc(await makePackage({ from: a.code, to: [b.code], signer: makeTestSigner('rsa'), subject: forgedSubject }), { from: a.code, to: [{ code: b.code }] });
    asA.close();
    // A wrong HMAC: refused by the axis itself.
    const impostor = createAxisClient({ ...credentials, secret: 'not-the-secret-of-a' });
    await expect(impostor.sendEdoc(tampered, { from: a.code })).rejects.toMatchObject({ code: 'axis.remote_error' });
    impostor.close();

    type Refused = { axisDocId: string; outcome: string; reason: string };
    const refused = await eventually('both packages refused at B', async () => {
      const rows = await b.clerk.get<Refused[]>('/api/exchange/refused');
      const mine = [tamperedId, forgedId].map((id) => rows.find((r) => r.axisDocId === id));
      return mine.every(Boolean) && (mine as Refused[]);
    });
    expect(refused[0]?.reason).toMatch(/chữ ký/i);
    expect(refused[1]?.reason).toContain('giả mạo');
    const audit = await b.admin.get<{ type: string; entityId: string }[]>('/api/admin/audit?limit=200');
    expect(audit.filter((r) => r.type === 'EXCHANGE_PACKAGE_REFUSED').map((r) => r.entityId).sort()).toEqual([tamperedId, forgedId].sort());
    // Logs reach this process through pipes, possibly after the answers that follow them.
    await eventually('the wrong HMAC in the axis log', async () => axis.output().includes('axis.bad_signature'));
    await eventually('the forged package in B\'s log', async () => b.install.output().includes(forgedId));

    await afterRounds([b]);
    expect(await incomingWith(b, subject)).toHaveLength(1);
    expect(await incomingWith(b, tamperedSubject)).toEqual([]);
    expect(await incomingWith(b, forgedSubject)).toEqual([]);
    expect((await recipientOf(a, doc.id, b.code))?.events.filter((e) => e.code === '01')).toHaveLength(1);
  });

});
