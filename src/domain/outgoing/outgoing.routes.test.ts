import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDb } from '../../test/db.ts';
import { execFileSync } from 'node:child_process';
import { makeAgency, makeDeps, makeUnit, makeUser, TEST_PASSWORD } from '../../test/factories.ts';
import { needTool } from '../../test/tools.ts';
import { testClient } from '../../test/http.ts';
import { createApp } from '../../platform/http/app.ts';
import type { DatabaseHandle } from '../../platform/db/client.ts';
import { DEMO_SIGNING_PIN } from '../certificates/certificates.service.ts';

let handle: DatabaseHandle;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  handle = await createTestDb();
  app = createApp(await makeDeps(handle.db, { demo: true }));
});
afterAll(async () => handle?.close());

type Client = ReturnType<typeof testClient>;
async function login(u: { user: { username: string } }): Promise<Client> {
  const client = testClient(app);
  expect((await client.login(u.user.username, TEST_PASSWORD)).status).toBe(200);
  await client.get('/api/auth/session');
  return client;
}

describe('outgoing HTTP API', () => {
  test.skipIf(!needTool('pdftotext'))('the demo sample draft of a Công văn prints the ký hiệu issuing will give it: agency and drafting unit', async () => {
    const agency = await makeAgency(handle.db, { shortName: 'UBND' });
    const unit = await makeUnit(handle.db, agency.id);
    const staff = await makeUser(handle.db, { agencyId: agency.id, unitId: unit.id, roles: ['staff'] });
    const leader = await makeUser(handle.db, { agencyId: agency.id, roles: ['leader'] });
    const s = await login(staff);
    const created = await s.post('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v thử nghiệm ký hiệu', signerId: leader.user.id, signerPosition: 'Giám đốc',
      recipients: [{ kind: 'external', agencyCode: '000.00.88.G02', name: 'Cơ quan ngoài' }] });
    const id = (created.body.data as { id: string }).id;
    expect((await s.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
    const main = ((await s.get(`/api/outgoing/${id}`)).body.data as { files: { id: string; kind: string }[] }).files.find((f) => f.kind === 'main');
    const res = await app.request(`/api/outgoing/${id}/files/${main?.id}`, { headers: { cookie: s.cookie } });
    const text = execFileSync('pdftotext', ['-', '-'], { input: Buffer.from(await res.arrayBuffer()), encoding: 'utf8' });
    expect(text.replace(/\s+/g, ' ')).toContain('/UBND-P ');
  });

  test('the whole path over HTTP; a wrong-state action answers 409 with the current status', async () => {
    const agency = await makeAgency(handle.db, { shortName: 'UBND' });
    const staff = await makeUser(handle.db, { agencyId: agency.id, roles: ['staff'] });
    const leader = await makeUser(handle.db, { agencyId: agency.id, roles: ['leader'] });
    const clerk = await makeUser(handle.db, { agencyId: agency.id, roles: ['clerk'] });
    const [s, l, k] = [await login(staff), await login(leader), await login(clerk)];
    const created = await s.post('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v thử nghiệm', signerId: leader.user.id, signerPosition: 'Giám đốc',
      recipients: [{ kind: 'external', agencyCode: '000.00.88.G02', name: 'Cơ quan ngoài' }] });
    expect(created.status).toBe(201);
    const id = (created.body.data as { id: string }).id;
    expect((await s.post(`/api/outgoing/${id}/submit`, {})).body.error?.code).toBe('outgoing.no_file');
    expect((await s.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
    const early = await k.post(`/api/outgoing/${id}/issue`, {});
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'outgoing.bad_status', details: { status: 'draft' } });
    expect((await s.post(`/api/outgoing/${id}/submit`, { reviewerIds: [] })).body.data).toMatchObject({ status: 'awaiting_signature' });
    const signed = await l.post('/api/outgoing/sign', { ids: [id], pin: DEMO_SIGNING_PIN });
    expect(signed.body.data).toEqual([expect.objectContaining({ ok: true })]);
    const issued = await k.post(`/api/outgoing/${id}/issue`, {});
    expect(issued.body.data).toMatchObject({ status: 'issued', numberText: '01/UBND' });
    const again = await k.post(`/api/outgoing/${id}/issue`, {});
    expect(again.body).toMatchObject({ alreadyIssued: true, data: { numberText: '01/UBND' } });
    const detail = await k.get(`/api/outgoing/${id}`);
    expect(detail.body.data).toMatchObject({ status: 'issued', recipients: [expect.objectContaining({ kind: 'external' })] });
    expect((detail.body.data as { history: { type: string }[] }).history.map((h) => h.type)).toEqual(expect.arrayContaining(['OUTGOING_CREATED', 'OUTGOING_SUBMITTED', 'OUTGOING_SIGNED', 'OUTGOING_ISSUED']));
    const files = (detail.body.data as { files: { id: string; note: string }[] }).files;
    const issuedFile = files.find((f) => f.note === 'issued');
    const res = await app.request(`/api/outgoing/${id}/files/${issuedFile?.id}`, { headers: { cookie: k.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const register = await k.get('/api/outgoing/register');
    expect((register.body.data as { rows: { cells: string[] }[] }).rows[0]?.cells[0]).toBe('01/UBND');
    const xlsx = await app.request('/api/outgoing/register?format=xlsx', { headers: { cookie: k.cookie } });
    expect(xlsx.status).toBe(200);
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const empty = await k.post(`/api/outgoing/${id}/update`, { reason: 'Không đổi gì' });
    expect(empty.status).toBe(400);
    expect((await s.post(`/api/outgoing/${id}/update`, { reason: 'Lùi hạn', dueDate: '2027-01-15' })).status).toBe(403);
    expect((await k.post(`/api/outgoing/${id}/update`, { reason: 'Lùi hạn', dueDate: '2027-01-15' })).body.data).toEqual({ recipients: 1 });
    const recall = await k.post(`/api/outgoing/${id}/recall`, { reason: 'Sai thể thức' });
    expect(recall.body.data).toMatchObject({ status: 'recalled' });
    expect((await s.post(`/api/outgoing/${id}/recall`, { reason: 'x' })).status).toBe(409);
  });

  test('a staff member of another agency cannot see the document (404), nor a colleague without a part in it', async () => {
    const agency = await makeAgency(handle.db);
    const staff = await makeUser(handle.db, { agencyId: agency.id, roles: ['staff'] });
    const colleague = await makeUser(handle.db, { agencyId: agency.id, roles: ['staff'] });
    const stranger = await makeUser(handle.db, { roles: ['clerk'] });
    const s = await login(staff);
    const id = ((await s.post('/api/outgoing', { typeCode: 'to_trinh', subject: 'Tờ trình' })).body.data as { id: string }).id;
    expect((await (await login(colleague)).get(`/api/outgoing/${id}`)).status).toBe(404);
    expect((await (await login(stranger)).get(`/api/outgoing/${id}`)).status).toBe(404);
    expect((await s.get(`/api/outgoing/${id}`)).status).toBe(200);
  });

  test('the chain and delegation endpoints: admins read the chain, others get 403; the proposed chain is the drafter\'s; lists carry recipient counts', async () => {
    const agency = await makeAgency(handle.db);
    const [staff, admin, leader, deputy, colleague] = await Promise.all([
      makeUser(handle.db, { agencyId: agency.id, roles: ['staff'] }), makeUser(handle.db, { agencyId: agency.id, roles: ['admin'] }),
      makeUser(handle.db, { agencyId: agency.id, roles: ['leader'] }), makeUser(handle.db, { agencyId: agency.id, roles: ['leader'] }),
      makeUser(handle.db, { agencyId: agency.id, roles: ['staff'] }),
    ]);
    const [s, a, l] = [await login(staff), await login(admin), await login(leader)];
    expect((await s.get('/api/outgoing/chain')).body.error?.code).toBe('forbidden');
    expect((await a.get('/api/outgoing/chain')).body.data).toEqual({ steps: [{ kind: 'drafting_unit_head' }], byType: [] });
    expect((await a.delete('/api/outgoing/chain/quyet_dinh')).body.error?.code).toBe('outgoing.not_found');
    expect((await s.delete('/api/outgoing/chain/quyet_dinh')).body.error?.code).toBe('forbidden');
    expect((await a.delete('/api/outgoing/chain/khong_co')).body.error?.code).toBe('request.invalid');
    const id = ((await s.post('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v đếm nơi nhận', recipients: [{ kind: 'external', agencyCode: '000.00.77.G03', name: 'Cơ quan ngoài' }] })).body.data as { id: string }).id;
    expect((await s.get(`/api/outgoing/${id}/proposed-chain`)).body.data).toEqual([]);
    expect((await (await login(colleague)).get(`/api/outgoing/${id}/proposed-chain`)).status).toBe(404);
    expect((await s.get('/api/outgoing?box=drafts')).body.data).toEqual([expect.objectContaining({ id, recipientCounts: { total: 1, delivered: 0, registered: 0, done: 0, refused: 0 } })]);
    expect((await s.post('/api/outgoing/delegations', { toUserId: deputy.user.id, startsOn: '2026-12-01', endsOn: '2099-12-31' })).body.error?.code).toBe('forbidden');
    expect((await l.post('/api/outgoing/delegations', { toUserId: deputy.user.id, startsOn: '2026-12-01', endsOn: '2099-12-31' })).status).toBe(201);
    expect((await l.get('/api/outgoing/delegations')).body.data).toEqual([expect.objectContaining({ toUserId: deputy.user.id, toName: deputy.user.fullName, endsOn: '2099-12-31' })]);
  });
});

/** An agency «UBND» whose Văn phòng («VP») drafts; its leader signs and its clerk issues. */
async function makeAgencyWithOffice() {
  const agency = await makeAgency(handle.db, { shortName: 'UBND' });
  const office = await makeUnit(handle.db, agency.id, 'Văn phòng');
  await handle.db.updateTable('unit').set({ shortName: 'VP' }).where('id', '=', office.id).execute();
  const [staff, leader, clerk] = await Promise.all([
    makeUser(handle.db, { agencyId: agency.id, unitId: office.id, roles: ['staff'] }),
    makeUser(handle.db, { agencyId: agency.id, roles: ['leader'] }),
    makeUser(handle.db, { agencyId: agency.id, roles: ['clerk'] }),
  ]);
  return { agency, office, staff: await login(staff), leader: await login(leader), clerk: await login(clerk), users: { staff, leader, clerk } };
}

async function draft(s: Client, body: Record<string, unknown>): Promise<string> {
  const created = await s.post('/api/outgoing', { typeCode: 'cong_van', recipients: [{ kind: 'external', agencyCode: '000.00.88.G02', name: 'Cơ quan ngoài' }], ...body });
  expect(created.status).toBe(201);
  return (created.body.data as { id: string }).id;
}

async function issue(w: Awaited<ReturnType<typeof makeAgencyWithOffice>>, id: string) {
  expect((await w.staff.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
  expect((await w.staff.post(`/api/outgoing/${id}/submit`, { reviewerIds: [] })).status).toBe(200);
  expect((await w.leader.post('/api/outgoing/sign', { ids: [id], pin: DEMO_SIGNING_PIN })).body.data).toEqual([expect.objectContaining({ ok: true })]);
  return (await w.clerk.post(`/api/outgoing/${id}/issue`, {})).body.data as { numberText: string };
}

/** The ids the outgoing list finds, asked as the search page asks it. */
const found = async (c: Client, q: string) =>
  ((await c.get(`/api/outgoing?box=all&search=${encodeURIComponent(q)}&limit=20`)).body.data as { id: string }[]).map((d) => d.id);

describe('finding outgoing documents', () => {
  test('a draft is found by its words typed without diacritics, as a phone keyboard without Telex types them, and after an edit by its new words only', async () => {
    const w = await makeAgencyWithOffice();
    const id = await draft(w.staff, { subject: 'Kế hoạch Chuyển đổi số năm 2027', signerId: w.users.leader.user.id });
    const other = await draft(w.staff, { subject: 'Báo cáo phòng chống bão lũ', signerId: w.users.leader.user.id });
    for (const q of ['chuyen doi so', 'Chuyển đổi số', 'chuyển doi', 'KE HOACH 2027']) expect(await found(w.staff, q), q).toEqual([id]);
    expect(await found(w.staff, 'chuyen doi nong nghiep')).toEqual([]);
    expect(await found(w.staff, 'bao lu')).toEqual([other]);

    expect((await w.staff.patch(`/api/outgoing/${id}`, { subject: 'Kế hoạch ứng dụng công nghệ thông tin' })).status).toBe(200);
    expect(await found(w.staff, 'ung dung cong nghe')).toEqual([id]);
    expect(await found(w.staff, 'chuyen doi so')).toEqual([]);
  });

  test('an issued document is found by its number or its ký hiệu alone, in the list, the search page and the register', async () => {
    const w = await makeAgencyWithOffice();
    const id = await draft(w.staff, { subject: 'V/v triển khai chuyển đổi số', signerId: w.users.leader.user.id });
    expect(await issue(w, id)).toMatchObject({ numberText: '01/UBND-VP' });
    for (const q of ['01', '1', 'UBND-VP', 'vp', 'ubnd', '01/UBND-VP', 'trien khai']) expect(await found(w.clerk, q), q).toEqual([id]);
    expect(await found(w.clerk, '02')).toEqual([]);
    const year = new Date().getFullYear();
    const register = async (q: string) => ((await w.clerk.get(`/api/outgoing/register?year=${year}&search=${encodeURIComponent(q)}`)).body.data as { rows: unknown[] }).rows.length;
    expect(await register('chuyen doi so')).toBe(1);
    expect(await register('vp')).toBe(1);
    expect(await register('nong nghiep')).toBe(0);
  });

  test('a Mật document is found by its participants only: a clerk or colleague who may not see it never finds it, with or without diacritics', async () => {
    const w = await makeAgencyWithOffice();
    const colleague = await login(await makeUser(handle.db, { agencyId: w.agency.id, unitId: w.office.id, roles: ['staff'] }));
    const secret = await draft(w.staff, { subject: 'Phương án chuyển đổi số bảo mật', secrecy: 'mat', signerId: w.users.leader.user.id });
    const open = await draft(w.staff, { subject: 'Phương án chuyển đổi số công khai', signerId: w.users.leader.user.id });
    expect((await found(w.staff, 'chuyen doi so')).sort()).toEqual([secret, open].sort());
    expect(await found(w.leader, 'phuong an chuyen doi')).toEqual(expect.arrayContaining([secret]));
    for (const c of [w.clerk, colleague]) {
      expect(await found(c, 'chuyển đổi số bảo mật'), 'with marks').not.toContain(secret);
      expect(await found(c, 'chuyen doi so bao mat'), 'without marks').toEqual([]);
    }
  });
});
