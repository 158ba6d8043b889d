import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { signedInClient } from '../../test/http.ts';
import { draftOverHttp as draft, issueOverHttp as issue, makeAgencyWithOffice, type Client } from './outgoing.testing.ts';

const t = useTestApp({ demo: true });

/** The ids the outgoing list finds, asked as the search page asks it. */
const found = async (c: Client, q: string) =>
  ((await c.get(`/api/outgoing?box=all&search=${encodeURIComponent(q)}&limit=20`)).body.data as { id: string }[]).map((d) => d.id);

describe('finding outgoing documents', () => {
  test('a draft is found by its words typed without diacritics, as a phone keyboard without Telex types them, and after an edit by its new words only', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await draft(w, { subject: 'Kế hoạch Chuyển đổi số năm 2027' });
    const other = await draft(w, { subject: 'Báo cáo phòng chống bão lũ' });
    for (const q of ['chuyen doi so', 'Chuyển đổi số', 'chuyển doi', 'KE HOACH 2027']) expect(await found(w.staff.client, q), q).toEqual([id]);
    expect(await found(w.staff.client, 'chuyen doi nong nghiep')).toEqual([]);
    expect(await found(w.staff.client, 'bao lu')).toEqual([other]);

    expect((await w.staff.client.patch(`/api/outgoing/${id}`, { subject: 'Kế hoạch ứng dụng công nghệ thông tin' })).status).toBe(200);
    expect(await found(w.staff.client, 'ung dung cong nghe')).toEqual([id]);
    expect(await found(w.staff.client, 'chuyen doi so')).toEqual([]);
  });

  test('an issued document is found by its number or its ký hiệu alone, in the list, the search page, the register and work files', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await draft(w, { subject: 'V/v triển khai chuyển đổi số' });
    expect(await issue(w, id)).toMatchObject({ numberText: '01/UBND-VP' });
    for (const q of ['01', '1', 'UBND-VP', 'vp', 'ubnd', '01/UBND-VP', 'trien khai']) expect(await found(w.clerk.client, q), q).toEqual([id]);
    expect(await found(w.clerk.client, '02')).toEqual([]);
    const year = new Date().getFullYear();
    const register = async (q: string) => ((await w.clerk.client.get(`/api/outgoing/register?year=${year}&search=${encodeURIComponent(q)}`)).body.data as { rows: unknown[] }).rows.length;
    expect(await register('chuyen doi so')).toBe(1);
    expect(await register('vp')).toBe(1);
    expect(await register('nong nghiep')).toBe(0);

    // a work file: «Thêm văn bản» finds it the same way, and the file is then found by its words
    const file = await w.clerk.client.post('/api/records/files', { notation: '01.VP', title: 'Hồ sơ công tác văn phòng', retention: '10' });
    const fileId = (file.body.data as { id: string }).id;
    const choices = async (q: string) => ((await w.clerk.client.get(`/api/records/files/${fileId}/document-choices?q=${encodeURIComponent(q)}`)).body.data as { ownerId: string }[]).map((d) => d.ownerId);
    expect(await choices('trien khai chuyen doi')).toEqual([id]);
    expect(await choices('01/ubnd')).toEqual([id]);
    expect((await w.clerk.client.post(`/api/records/files/${fileId}/documents`, { ownerType: 'outgoing', ownerId: id })).status).toBeLessThan(300);
    const files = async (q: string) => ((await w.clerk.client.get(`/api/records/files?scope=agency&q=${encodeURIComponent(q)}`)).body.data as { id: string }[]).map((f) => f.id);
    expect(await files('chuyen doi so')).toEqual([fileId]);
    expect(await files('chuyen doi nong nghiep')).toEqual([]);
  });

  test('a Mật document is found by its participants only: a clerk or colleague who may not see it never finds it, with or without diacritics', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const colleague = (await signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: w.office.id, roles: ['staff'] })).client;
    const secret = await draft(w, { subject: 'Phương án chuyển đổi số bảo mật', secrecy: 'mat' });
    const open = await draft(w, { subject: 'Phương án chuyển đổi số công khai' });
    expect((await found(w.staff.client, 'chuyen doi so')).sort()).toEqual([secret, open].sort());
    expect(await found(w.leader.client, 'phuong an chuyen doi')).toEqual(expect.arrayContaining([secret]));
    for (const c of [w.clerk.client, colleague]) {
      expect(await found(c, 'chuyển đổi số bảo mật'), 'with marks').not.toContain(secret);
      expect(await found(c, 'chuyen doi so bao mat'), 'without marks').toEqual([]);
    }
  });
});
