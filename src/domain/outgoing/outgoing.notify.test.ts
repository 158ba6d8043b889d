import { describe, expect, test } from 'vitest';
import { makeUnit } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { draftOverHttp as draft, issueOverHttp as issue, makeAgencyWithOffice, withDemoApp, type Client } from './outgoing.testing.ts';

const t = withDemoApp();

describe('notices to the units a document is issued to', () => {
  type Notice = { id: number; incomingId: string | null; outgoingId: string | null; message: string; readAt: string | null };
  const unread = async (c: Client) => ((await c.get('/api/incoming/notices')).body.data as Notice[]).filter((n) => !n.readAt);

  test('the members of a unit of the agency hear once that a document was issued to it; another unit and the clerk do not; a recall takes the notice back and the link answers «not found»', async () => {
    const w = await makeAgencyWithOffice(t.app, t.handle.db);
    const finance = await makeUnit(t.handle.db, w.agency.id, 'Phòng Tài chính');
    const other = await makeUnit(t.handle.db, w.agency.id, 'Phòng Nội vụ');
    const [member, head, outsider] = await Promise.all([
      signedInClient(t.app, t.handle.db, { agencyId: w.agency.id, unitId: finance.id, roles: ['staff'] }),
      signedInClient(t.app, t.handle.db, { agencyId: w.agency.id, unitId: finance.id, roles: ['unit_head'] }),
      signedInClient(t.app, t.handle.db, { agencyId: w.agency.id, unitId: other.id, roles: ['staff'] }),
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

  test('a Mật document issued to a unit tells only the members it names as participants, without its trích yếu', async () => {
    const w = await makeAgencyWithOffice(t.app, t.handle.db);
    const finance = await makeUnit(t.handle.db, w.agency.id, 'Phòng Tài chính');
    const [member, named] = await Promise.all([
      signedInClient(t.app, t.handle.db, { agencyId: w.agency.id, unitId: finance.id, roles: ['staff'] }),
      signedInClient(t.app, t.handle.db, { agencyId: w.agency.id, unitId: finance.id, roles: ['staff'] }),
    ]);
    const id = await draft(w, { subject: 'Phương án bảo vệ bí mật', secrecy: 'mat',
      participantIds: [w.clerk.user.id, named.user.id], recipients: [{ kind: 'unit', unitId: finance.id }] });
    await issue(w, id);
    expect(await unread(member.client)).toEqual([]);
    const notices = await unread(named.client);
    expect(notices).toEqual([expect.objectContaining({ outgoingId: id, message: 'Văn bản phát hành gửi Phòng Tài chính: Văn bản Mật' })]);
  });
});
