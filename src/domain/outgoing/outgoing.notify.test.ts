import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeUnit } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { draftOverHttp as draft, issueOverHttp as issue, makeAgencyWithOffice, type Client } from './outgoing.testing.ts';

const t = useTestApp({ demo: true });

describe('notices to the units a document is issued to', () => {
  type Notice = { id: number; incomingId: string | null; outgoingId: string | null; message: string; readAt: string | null };
  const unread = async (c: Client) => ((await c.get('/api/incoming/notices')).body.data as Notice[]).filter((n) => !n.readAt);

  test('the members of a unit of the agency hear once that a document was issued to it; another unit and the clerk do not; a recall takes the notice back and the link answers «not found»', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const finance = await makeUnit(t.db, w.agency.id, 'Phòng Tài chính');
    const other = await makeUnit(t.db, w.agency.id, 'Phòng Nội vụ');
    const [member, head, outsider] = await Promise.all([
      signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: finance.id, roles: ['staff'] }),
      signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: finance.id, roles: ['unit_head'] }),
      signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: other.id, roles: ['staff'] }),
    ]);
    const [m, h, x] = [member.client, head.client, outsider.client];
    const id = await draft(w, { subject: 'Kế hoạch chuyển đổi số', recipients: [{ kind: 'unit', unitId: finance.id }] });
    await issue(w, id);
    expect((await w.clerk.client.post(`/api/outgoing/${id}/issue`, {})).body).toMatchObject({ alreadyIssued: true });

    for (const c of [m, h]) {
      expect(await unread(c)).toEqual([expect.objectContaining({ outgoingId: id, incomingId: null, message: 'Văn bản phát hành gửi Phòng Tài chính: 01/UBND-VP — “Kế hoạch chuyển đổi số”' })]);
    }
    expect(await unread(x)).toEqual([]);
    expect(await unread(w.clerk.client)).toEqual([]);
    expect((await m.get(`/api/outgoing/${id}`)).status).toBe(200);
    expect((await x.get(`/api/outgoing/${id}`)).status).toBe(404);

    expect((await w.clerk.client.post(`/api/outgoing/${id}/recall`, { reason: 'Sai thể thức' })).status).toBe(200);
    expect(await unread(m)).toEqual([]);
    expect((await m.get(`/api/outgoing/${id}`)).body.error?.code).toBe('outgoing.not_found');
  });

  test('a disabled member of the unit is told nothing, in the app or by mail; an active one is', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const finance = await makeUnit(t.db, w.agency.id, 'Phòng Tài chính');
    const [active, gone] = await Promise.all([
      signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: finance.id, roles: ['staff'] }),
      signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: finance.id, roles: ['staff'] }),
    ]);
    await t.db.updateTable('appUser').set({ isActive: false }).where('id', '=', gone.user.id).execute();
    const id = await draft(w, { subject: 'Triển khai kế hoạch phòng chống thiên tai', urgency: 'hoa_toc', recipients: [{ kind: 'unit', unitId: finance.id }] });
    await issue(w, id);
    const told = await t.db.selectFrom('incomingNotice').select('userId').where('outgoingId', '=', id).where('kind', '=', 'issued').execute();
    expect(told.map((n) => n.userId)).toEqual([active.user.id]);
    const mailedTo = (await t.db.selectFrom('job').select('payload').where('type', '=', 'mail.send').execute()).map((j) => (j.payload as { to: string }).to);
    expect(mailedTo).toContain(active.user.email);
    expect(mailedTo).not.toContain(gone.user.email);
  });

  test('a Mật document issued to a unit tells only the members it names as participants, without its trích yếu', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const finance = await makeUnit(t.db, w.agency.id, 'Phòng Tài chính');
    const [member, named] = await Promise.all([
      signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: finance.id, roles: ['staff'] }),
      signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: finance.id, roles: ['staff'] }),
    ]);
    const id = await draft(w, { subject: 'Phương án bảo vệ bí mật', secrecy: 'mat',
      participantIds: [w.clerk.user.id, named.user.id], recipients: [{ kind: 'unit', unitId: finance.id }] });
    await issue(w, id);
    expect(await unread(member.client)).toEqual([]);
    const notices = await unread(named.client);
    expect(notices).toEqual([expect.objectContaining({ outgoingId: id, message: 'Văn bản phát hành gửi Phòng Tài chính: Văn bản Mật' })]);
  });

  test('the drafter and the signer, members of the unit the document is issued to, are not told of their own document; a colleague there is', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    await t.db.updateTable('appUser').set({ unitId: w.office.id }).where('id', '=', w.leader.user.id).execute();
    const colleague = await signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: w.office.id, roles: ['staff'] });
    const id = await draft(w, { subject: 'Lịch công tác tuần', recipients: [{ kind: 'unit', unitId: w.office.id }] });
    await issue(w, id);
    expect(await unread(w.staff.client)).toEqual([]);
    expect(await unread(w.leader.client)).toEqual([]);
    expect(await unread(colleague.client)).toEqual([expect.objectContaining({ outgoingId: id, message: 'Văn bản phát hành gửi Văn phòng: 01/UBND-VP — “Lịch công tác tuần”' })]);
  });

  test('an urgent document is also mailed to each member told of it, its urgency first, as incoming ones are; a Mật one\'s mail has no trích yếu; one not urgent is not mailed', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const finance = await makeUnit(t.db, w.agency.id, 'Phòng Tài chính');
    const member = await signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: finance.id, roles: ['staff'] });
    const mails = async () => (await t.db.selectFrom('job').select('payload').where('type', '=', 'mail.send').execute())
      .map((j) => j.payload as { to: string; subject: string; text: string }).filter((m) => m.to === member.user.email);

    await issue(w, await draft(w, { subject: 'Thông báo thường', recipients: [{ kind: 'unit', unitId: finance.id }] }));
    expect(await mails()).toEqual([]);

    const urgent = await draft(w, { subject: 'Triển khai gấp', urgency: 'hoa_toc', recipients: [{ kind: 'unit', unitId: finance.id }] });
    await issue(w, urgent);
    expect(await unread(member.client)).toContainEqual(expect.objectContaining({ outgoingId: urgent, message: '[HỎA TỐC] Văn bản phát hành gửi Phòng Tài chính: 02/UBND-VP — “Triển khai gấp”' }));
    expect(await mails()).toEqual([{ agencyId: w.agency.id, to: member.user.email, subject: '[HỎA TỐC] Văn bản đến: cần xử lý',
      text: expect.stringMatching(new RegExp(`^Kính gửi ${member.user.fullName},\n\n\\[HỎA TỐC\\] Văn bản phát hành gửi Phòng Tài chính: 02/UBND-VP — “Triển khai gấp”\n\nMở văn bản: https?://[^/]+/outgoing/${urgent}\n\n— vanthu$`)) }]);

    const secret = await draft(w, { subject: 'Phương án bảo vệ bí mật', urgency: 'khan', secrecy: 'mat', participantIds: [w.clerk.user.id, member.user.id],
      recipients: [{ kind: 'unit', unitId: finance.id }] });
    await issue(w, secret);
    const texts = (await mails()).map((m) => `${m.subject} ${m.text}`);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toContain('[KHẨN] Văn bản phát hành gửi Phòng Tài chính: Văn bản Mật');
    expect(texts[1]).not.toContain('bí mật');
  });
});
