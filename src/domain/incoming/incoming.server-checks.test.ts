import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser, TEST_PASSWORD } from '../../test/factories.ts';
import { testClient } from '../../test/http.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { storeUpload } from '../files/files.service.ts';
import { receivePaperScan } from './incoming-intake.service.ts';
import { registerIncoming } from './incoming.service.ts';
import { directIncoming, forwardIncoming, reassignInUnit } from './incoming-direction.service.ts';
import { getIncoming } from './incoming-query.service.ts';
import { makeTextPdf } from './incoming.testing.ts';
import type { TRegisterIncomingBody } from './incoming.schemas.ts';

// The checks the incoming screens make (a deadline already past, a document registered twice) hold for any
// caller of the API, not only for the web app.
const t = useTestApp();
let w: Awaited<ReturnType<typeof makeWorld>>;

async function makeWorld() {
  const db = t.db;
  const me = await makeAgency(db, { name: 'Ủy ban nhân dân xã Kiểm Tra', shortName: 'UBND' });
  const unit = await makeUnit(db, me.id, 'Văn phòng');
  return {
    db, me, unit,
    clerk: await makeUser(db, { agencyId: me.id, roles: ['clerk'] }),
    leader: await makeUser(db, { agencyId: me.id, roles: ['leader'] }),
    head: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['unit_head'] }),
    staff: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['staff'] }),
  };
}
beforeAll(async () => { w = await makeWorld(); });

const dayFromToday = (days: number) => new Date(Date.parse(`${vietnamDay()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const as = (u: typeof w.clerk) => ({ db: w.db, actor: u.actor });
const entry = (o: Partial<TRegisterIncomingBody> = {}): TRegisterIncomingBody => ({
  issuerName: 'Phòng Tài nguyên và Môi trường huyện Kiểm Tra', issuerCode: '', number: '245', notation: 'TNMT-ĐĐ', documentDate: '2026-12-02', typeCode: 'cong_van',
  subject: 'V/v rà soát hiện trạng sử dụng đất công ích', urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '', notes: '', ...o,
});

async function received(): Promise<string> {
  const upload = await storeUpload(t.deps, { source: await makeTextPdf(['Trang 1']), fileName: 'quet.pdf' });
  return (await receivePaperScan({ ...as(w.clerk), deps: t.deps, uploads: [upload] })).id;
}
async function forwarded(body: Partial<TRegisterIncomingBody>): Promise<string> {
  const id = await received();
  await registerIncoming({ ...as(w.clerk), id, body: entry(body) });
  await forwardIncoming({ ...as(w.clerk), id, leaderId: w.leader.user.id });
  return id;
}
const direction = (deadline: string | null) => ({ direction: 'Giao Văn phòng xử lý.', lead: { unitId: w.unit.id }, support: [], info: [], deadline });
async function login(u: typeof w.clerk) {
  const client = testClient(t.app);
  expect((await client.login(u.user.username, TEST_PASSWORD)).status).toBe(200);
  return client;
}

describe('a deadline already past', () => {
  test('the leader cannot give one, through the service or the API; today and later are taken', async () => {
    const id = await forwarded({ notation: 'HAN-1' });
    await expect(directIncoming({ ...as(w.leader), id, body: direction(dayFromToday(-1)) })).rejects.toMatchObject({
      code: 'incoming.deadline_past', status: 422, message: 'Thời hạn đã qua: chọn một ngày từ hôm nay trở đi.',
    });
    const leader = await login(w.leader);
    const res = await leader.post(`/api/incoming/${id}/direct`, direction(dayFromToday(-30)));
    expect(res.status).toBe(422);
    expect((res.body as { error: { code: string; message: string } }).error).toMatchObject({ code: 'incoming.deadline_past', message: 'Thời hạn đã qua: chọn một ngày từ hôm nay trở đi.' });
    expect((await getIncoming({ ...as(w.leader), id })).doc.status).toBe('forwarded');

    const ok = await leader.post(`/api/incoming/${id}/direct`, direction(vietnamDay()));
    expect(ok.status).toBe(200);
    expect((await getIncoming({ ...as(w.leader), id })).doc.dueDate).toBe(vietnamDay());
  });

  test('an overdue document directed again keeps its own past deadline; another past day is still refused', async () => {
    const past = dayFromToday(-5);
    const id = await forwarded({ notation: 'HAN-2', dueDate: past });
    await directIncoming({ ...as(w.leader), id, body: direction(past) });
    await directIncoming({ ...as(w.leader), id, body: { ...direction(past), direction: 'Điều chỉnh: Văn phòng khẩn trương hoàn thành.' } });
    await directIncoming({ ...as(w.leader), id, body: direction(null) });
    expect((await getIncoming({ ...as(w.leader), id })).doc.dueDate).toBe(past);
    await expect(directIncoming({ ...as(w.leader), id, body: direction(dayFromToday(-4)) })).rejects.toMatchObject({ code: 'incoming.deadline_past' });
  });

  test("the unit head cannot pass the unit's part on with a day already past, but may keep the unit's own", async () => {
    const past = dayFromToday(-2);
    const id = await forwarded({ notation: 'HAN-3', dueDate: past });
    await directIncoming({ ...as(w.leader), id, body: direction(past) });
    const part = (await getIncoming({ ...as(w.head), id })).assignments.find((a) => a.unitId === w.unit.id && a.isActive);
    const body = (deadline: string | null) => ({ assignmentId: part?.id ?? '', users: [{ userId: w.staff.user.id, role: 'lead' as const }], note: '', deadline });
    await expect(reassignInUnit({ ...as(w.head), id, body: body(dayFromToday(-3)) })).rejects.toMatchObject({ code: 'incoming.deadline_past' });
    await reassignInUnit({ ...as(w.head), id, body: body(past) });
  });
});

describe('a document the register already holds', () => {
  test('takes no second số đến until the clerk confirms; confirmed, it is registered and still flagged', async () => {
    const firstId = await received();
    const first = await registerIncoming({ ...as(w.clerk), id: firstId, body: entry() });
    const copyId = await received();

    // the same letter (số with a leading zero, ký hiệu in other case): refused, naming the earlier one
    const twin = entry({ number: '0245', notation: 'tnmt-đđ' });
    await expect(registerIncoming({ ...as(w.clerk), id: copyId, body: twin })).rejects.toMatchObject({
      code: 'incoming.possible_duplicate', status: 409,
      details: { duplicateOfId: firstId, arrivalNumber: first.arrivalNumber, arrivalNumberText: `${String(first.arrivalNumber).padStart(2, '0')}/${first.arrivalYear}` },
    });
    const clerk = await login(w.clerk);
    const refused = await clerk.post(`/api/incoming/${copyId}/register`, twin);
    expect(refused.status).toBe(409);
    expect((refused.body as { error: { code: string; details: { duplicateOfId: string } } }).error).toMatchObject({ code: 'incoming.possible_duplicate', details: { duplicateOfId: firstId } });
    const copy = (await getIncoming({ ...as(w.clerk), id: copyId })).doc;
    expect([copy.status, copy.arrivalNumber, copy.duplicateOfId]).toEqual(['received', null, null]);

    // confirmed: the next số đến, none burnt by the refusals
    const res = await clerk.post(`/api/incoming/${copyId}/register`, { ...twin, confirmDuplicate: true });
    expect(res.status).toBe(200);
    const registered = (res.body as { data: { arrivalNumber: number; duplicateOfId: string } }).data;
    expect(registered.arrivalNumber).toBe((first.arrivalNumber ?? 0) + 1);
    expect(registered.duplicateOfId).toBe(firstId);
  });

  test('another letter of the same series, or a twin only received and not yet registered, is registered without asking', async () => {
    await registerIncoming({ ...as(w.clerk), id: await received(), body: entry({ notation: 'SERIES' }) });
    const next = await registerIncoming({ ...as(w.clerk), id: await received(), body: entry({ notation: 'SERIES', number: '246' }) });
    expect(next.duplicateOfId).toBeNull();

    const waiting = await received();
    await w.db.updateTable('incomingDocument').set({ issuerName: 'Sở Xây dựng', number: '9', notation: 'SXD-QH', documentDate: '2026-12-01' }).where('id', '=', waiting).execute();
    const registered = await registerIncoming({ ...as(w.clerk), id: await received(), body: entry({ issuerName: 'Sở Xây dựng', number: '9', notation: 'SXD-QH', documentDate: '2026-12-01' }) });
    expect(registered.duplicateOfId).toBe(waiting);
  });
});
