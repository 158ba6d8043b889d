import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { needTool } from '../../test/tools.ts';
import { loggedInClient, signedInClient, testClient } from '../../test/http.ts';
import { DEMO_SIGNING_PIN } from '../certificates/certificates.service.ts';
import { makeBasePdf } from '../signing/appearance/appearance.test-pdf.ts';
import { draftOverHttp, makeAgencyWithOffice, type Client } from './outgoing.testing.ts';

const t = useTestApp({ demo: true });

const login = (u: { user: { username: string } }) => loggedInClient(t.app, u.user.username);

describe('outgoing HTTP API', () => {
  test.skipIf(!needTool('pdftotext'))('the demo sample draft of a Công văn prints the ký hiệu issuing will give it: agency and drafting unit', async () => {
    const agency = await makeAgency(t.db, { shortName: 'UBND' });
    const unit = await makeUnit(t.db, agency.id);
    const staff = await makeUser(t.db, { agencyId: agency.id, unitId: unit.id, roles: ['staff'] });
    const leader = await makeUser(t.db, { agencyId: agency.id, roles: ['leader'] });
    const s = await login(staff);
    const created = await s.post('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v thử nghiệm ký hiệu', signerId: leader.user.id, signerPosition: 'Giám đốc',
      recipients: [{ kind: 'external', agencyCode: '000.00.88.G02', name: 'Cơ quan ngoài' }] });
    const id = (created.body.data as { id: string }).id;
    expect((await s.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
    const main = ((await s.get(`/api/outgoing/${id}`)).body.data as { files: { id: string; kind: string }[] }).files.find((f) => f.kind === 'main');
    const res = await t.app.request(`/api/outgoing/${id}/files/${main?.id}`, { headers: { cookie: s.cookie } });
    const text = execFileSync('pdftotext', ['-', '-'], { input: Buffer.from(await res.arrayBuffer()), encoding: 'utf8' });
    expect(text.replace(/\s+/g, ' ')).toContain('/UBND-P ');
  });

  test('the whole path over HTTP; a wrong-state action answers 409 with the current status', async () => {
    const agency = await makeAgency(t.db, { shortName: 'UBND' });
    const staff = await makeUser(t.db, { agencyId: agency.id, roles: ['staff'] });
    const leader = await makeUser(t.db, { agencyId: agency.id, roles: ['leader'] });
    const clerk = await makeUser(t.db, { agencyId: agency.id, roles: ['clerk'] });
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
    const res = await t.app.request(`/api/outgoing/${id}/files/${issuedFile?.id}`, { headers: { cookie: k.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const register = await k.get('/api/outgoing/register');
    expect((register.body.data as { rows: { cells: string[] }[] }).rows[0]?.cells[0]).toBe('01/UBND');
    const xlsx = await t.app.request('/api/outgoing/register?format=xlsx', { headers: { cookie: k.cookie } });
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
    const agency = await makeAgency(t.db);
    const staff = await makeUser(t.db, { agencyId: agency.id, roles: ['staff'] });
    const colleague = await makeUser(t.db, { agencyId: agency.id, roles: ['staff'] });
    const stranger = await makeUser(t.db, { roles: ['clerk'] });
    const s = await login(staff);
    const id = ((await s.post('/api/outgoing', { typeCode: 'to_trinh', subject: 'Tờ trình' })).body.data as { id: string }).id;
    expect((await (await login(colleague)).get(`/api/outgoing/${id}`)).status).toBe(404);
    expect((await (await login(stranger)).get(`/api/outgoing/${id}`)).status).toBe(404);
    expect((await s.get(`/api/outgoing/${id}`)).status).toBe(200);
  });

  test('the chain and delegation endpoints: admins read the chain, others get 403; the proposed chain is the drafter\'s; lists carry recipient counts', async () => {
    const agency = await makeAgency(t.db);
    const [staff, admin, leader, deputy, colleague] = await Promise.all([
      makeUser(t.db, { agencyId: agency.id, roles: ['staff'] }), makeUser(t.db, { agencyId: agency.id, roles: ['admin'] }),
      makeUser(t.db, { agencyId: agency.id, roles: ['leader'] }), makeUser(t.db, { agencyId: agency.id, roles: ['leader'] }),
      makeUser(t.db, { agencyId: agency.id, roles: ['staff'] }),
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
    expect((await s.get('/api/outgoing?box=drafts')).body.data).toEqual([expect.objectContaining({ id, recipientCounts: { total: 1, delivered: 0, registered: 0, done: 0, refused: 0, agreed: 0, disagreed: 0, awaiting: 0 } })]);
    expect((await s.post('/api/outgoing/delegations', { toUserId: deputy.user.id, startsOn: '2026-12-01', endsOn: '2099-12-31' })).body.error?.code).toBe('forbidden');
    expect((await l.post('/api/outgoing/delegations', { toUserId: deputy.user.id, startsOn: '2026-12-01', endsOn: '2099-12-31' })).status).toBe(201);
    expect((await l.get('/api/outgoing/delegations')).body.data).toEqual([expect.objectContaining({ toUserId: deputy.user.id, toName: deputy.user.fullName, endsOn: '2099-12-31' })]);
  });
});

describe('the number line of a draft, checked when its file is attached', () => {
  test('a draft PDF without a «Số:» line is flagged to the drafter before review; the sample laid out as ND 30 is not; a colleague without a part gets 404', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await draftOverHttp(w, { subject: 'Báo cáo không theo thể thức' });
    const check = async (c: Client) => c.get(`/api/outgoing/${id}/number-line`);
    expect((await check(w.staff.client)).body.data).toBeNull();

    const session = (await w.staff.client.get('/api/auth/session')).body.data as { csrfToken: string };
    const form = new FormData();
    form.append('main', new File([Buffer.from(await makeBasePdf([{ text: 'Báo cáo tình hình', x: 72, y: 770 }]))], 'bao-cao.pdf', { type: 'application/pdf' }));
    const uploaded = await t.app.request(`/api/outgoing/${id}/files`, { method: 'POST', body: form, headers: { cookie: w.staff.client.cookie, 'x-csrf-token': session.csrfToken } });
    expect(uploaded.status).toBe(200);
    expect((await check(w.staff.client)).body.data).toEqual({ version: 1, hasNumberLine: false, notation: 'UBND-VP', printed: null });

    expect((await w.staff.client.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
    expect((await check(w.staff.client)).body.data).toEqual({ version: 2, hasNumberLine: true, notation: 'UBND-VP', printed: null });
    const colleague = await signedInClient(t.app, t.db, { agencyId: w.agency.id, roles: ['staff'] });
    expect((await check(colleague.client)).body.error?.code).toBe('outgoing.not_found');
  });
});
