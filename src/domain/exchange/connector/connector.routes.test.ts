import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../../test/app.ts';
import { makeAgency } from '../../../test/factories.ts';
import { signedInClient } from '../../../test/http.ts';
import { connectorRepo } from './connector.repository.ts';
import { issueExternal, makeInstall } from './connector.testing.ts';
import { receiveExternalDocument } from '../../incoming/incoming.service.ts';
import { outgoingDetail } from '../../outgoing/outgoing.present.ts';

const t = useTestApp();

const body = { endpoint: 'http://127.0.0.1:8181/vxp/', systemId: '000.00.01.H53', secret: 'a-secret-123', isEnabled: true };

describe('exchange routes', () => {
  test('an admin sets the endpoint (secret never shown back); a clerk reads the outbox', async () => {
    const agency = await makeAgency(t.db);
    const { client: admin } = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['admin'] });
    const set = await admin.post('/api/exchange/endpoint', body);
    expect(set.status).toBe(200);
    expect(set.body.data).toMatchObject({ endpoint: 'http://127.0.0.1:8181/vxp', systemId: '000.00.01.H53', isEnabled: true });
    expect(JSON.stringify((await admin.get('/api/exchange/endpoint')).body)).not.toContain('a-secret-123');
    const { client: clerk } = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['clerk'] });
    const outbox = await clerk.get('/api/exchange/outbox?status=failed');
    expect(outbox.status).toBe(200);
    expect(outbox.body.data).toEqual([]);
  });

  test('a clerk may not set the endpoint, staff may not read the outbox, a bad URL is refused', async () => {
    const agency = await makeAgency(t.db);
    const { client: clerk } = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['clerk'] });
    const denied = await clerk.post('/api/exchange/endpoint', body);
    expect(denied.status).toBe(403);
    expect(denied.body.error?.code).toBe('forbidden');
    const { client: staff } = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['staff'] });
    expect((await staff.get('/api/exchange/outbox')).status).toBe(403);
    const { client: admin } = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['admin'] });
    expect((await admin.post('/api/exchange/endpoint', { ...body, endpoint: 'ftp://x' })).body.error?.code).toBe('exchange.bad_endpoint');
  });

  test('the refused list tells the clerk who sent it, why and how often it was tried; only a package that could not be fetched can be fetched again, by a clerk of that agency', async () => {
    const agency = await makeAgency(t.db);
    const sender = '000.00.91.H53';
    await connectorRepo.upsertDirectory(t.db, [{ code: sender, name: 'Sở Giao thông vận tải', parentCode: null, mail: 'sgtvt@example.gov.vn', isDeleted: false }]);
    const refuse = (axisDocId: string, reason: string) =>
      connectorRepo.insertReceived(t.db, { agencyId: agency.id, axisDocId, messageType: 'edoc', packageKey: null, outcome: 'refused', reason, senderCode: sender });
    await refuse('doc-tampered', '[exchange.package_refused] Chữ ký số của gói tin không hợp lệ (gói tin bị sửa đổi?): digest mismatch');
    await refuse('doc-unreadable', '[exchange.package_unreadable] Không nhận được gói tin sau 8 lần thử: [axis.remote_error] Không tìm thấy tệp.');
    const { client: clerk } = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['clerk'] });

    const list = await clerk.get('/api/exchange/refused');
    expect(list.status).toBe(200);
    expect(list.body.can).toMatchObject({ 'exchange.operate': true });
    const [unreadable, tampered] = list.body.data as { id: number; axisDocId: string; code: string; message: string; attempts: number; canRefetch: boolean; senderName: string | null; senderMail: string | null }[];
    expect(unreadable).toMatchObject({ axisDocId: 'doc-unreadable', code: 'exchange.package_unreadable', attempts: 8, canRefetch: true, senderName: 'Sở Giao thông vận tải', senderMail: 'sgtvt@example.gov.vn' });
    expect(tampered).toMatchObject({ axisDocId: 'doc-tampered', code: 'exchange.package_refused', attempts: 1, canRefetch: false, message: expect.stringMatching(/^Chữ ký số/) });

    expect((await clerk.get('/api/exchange/alerts')).body.data).toEqual({ failedPackages: 0, refusedPackages: 2 });
    const { client: staff } = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['staff'] });
    expect((await staff.get('/api/exchange/refused')).status).toBe(403);
    expect((await staff.get('/api/exchange/alerts')).status).toBe(403);
    const { client: leader } = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['leader'] });
    expect((await leader.get('/api/exchange/refused')).status).toBe(200);
    expect((await leader.post(`/api/exchange/refused/${unreadable?.id}/refetch`, {})).body.error?.code).toBe('forbidden');
    const { client: otherClerk } = await signedInClient(t.app, t.db, { agencyId: (await makeAgency(t.db)).id, roles: ['clerk'] });
    expect((await otherClerk.post(`/api/exchange/refused/${unreadable?.id}/refetch`, {})).body.error?.code).toBe('exchange.refused_not_found');
    expect((await clerk.post(`/api/exchange/refused/${tampered?.id}/refetch`, {})).body.error?.code).toBe('exchange.not_refetchable');
    expect((await clerk.post('/api/exchange/refused/abc/refetch', {})).status).toBe(400);

    const refetched = await clerk.post(`/api/exchange/refused/${unreadable?.id}/refetch`, {});
    expect(refetched.status).toBe(200);
    expect((await clerk.get('/api/exchange/refused')).body.data).toEqual([expect.objectContaining({ axisDocId: 'doc-tampered' })]);
    const audited = await t.db.selectFrom('auditLog').select(['entityId', 'data']).where('type', '=', 'EXCHANGE_REFUSED_REFETCH').where('agencyId', '=', agency.id).execute();
    expect(audited).toEqual([expect.objectContaining({ entityId: 'doc-unreadable', data: expect.objectContaining({ senderCode: sender }) })]);
  });

  test("the outbox names each package's document, recipient and kind, says why one failed in words, and lets a clerk of that agency (not a leader) send a failed one again", async () => {
    const install = await makeInstall(t.db);
    const doc = await issueExternal(install, [{ code: '000.00.92.H53', name: 'Sở Xây dựng tỉnh Thử' }], 'V/v kế hoạch xây dựng năm 2027');
    await t.db.updateTable('exchangeOutbox').set({ status: 'failed', attempts: 8, lastError: '[axis.remote_error] Trục liên thông báo lỗi: Không tìm thấy cơ quan nhận 000.00.92.H53' })
      .where('outgoingId', '=', doc.id).execute();
    await t.db.transaction().execute((tx) => receiveExternalDocument(tx, {
      recipientAgencyId: install.agency.id, documentId: '000.00.93.H53,2026/12/06,45/SKHĐT-KH', sender: { code: '000.00.93.H53', name: 'Sở Kế hoạch và Đầu tư' },
      metadata: { number: 45, notation: 'SKHĐT-KH', documentDate: '2026-12-06', typeCode: 'cong_van', subject: 'V/v góp ý dự thảo', urgency: 'thuong', secrecy: 'thuong', signerName: 'Lê Văn Bình', signerPosition: 'Giám đốc', pageCount: 1 },
      files: [],
    }));
    const { client: clerk } = await signedInClient(t.app, t.db, { agencyId: install.agency.id, roles: ['clerk'] });

    const all = await clerk.get('/api/exchange/outbox');
    expect(all.body.can).toMatchObject({ 'exchange.view': true, 'exchange.operate': true });
    type Row = { id: string; status: string; packageKind: string; businessDocType: number; statusCode: string | null; statusLabel: string | null; recipientAgencyCode: string; recipientName: string | null; document: { kind: string; id: string; code: string; subject: string }; errorCode: string | null; errorMessage: string | null; attempts: number };
    const rows = all.body.data as Row[];
    expect(rows.find((r) => r.packageKind === 'status')).toMatchObject({
      status: 'pending', statusCode: '01', statusLabel: 'Đã đến', recipientAgencyCode: '000.00.93.H53', recipientName: 'Sở Kế hoạch và Đầu tư',
      document: { kind: 'incoming', code: '45/SKHĐT-KH', subject: 'V/v góp ý dự thảo' }, errorCode: null,
    });
    const [failed] = (await clerk.get('/api/exchange/outbox?status=failed')).body.data as Row[];
    expect(failed).toMatchObject({
      status: 'failed', attempts: 8, packageKind: 'edoc', businessDocType: 0, statusCode: null, recipientName: 'Sở Xây dựng tỉnh Thử',
      document: { kind: 'outgoing', id: doc.id, code: `01/${doc.notation}`, subject: 'V/v kế hoạch xây dựng năm 2027' }, // the install's first số, as printed
      errorCode: 'axis.remote_error', errorMessage: 'Trục liên thông báo lỗi: Không tìm thấy cơ quan nhận 000.00.92.H53',
    });

    expect((await clerk.get('/api/exchange/alerts')).body.data).toEqual({ failedPackages: 1, refusedPackages: 0 });

    const sendingOnThePage = async () => (await outgoingDetail({ db: t.db, actor: install.clerk.actor, id: doc.id })).data.recipients.map((r) => r.sending);
    expect(await sendingOnThePage()).toEqual([expect.objectContaining({ id: failed?.id, status: 'failed', attempts: 8, errorMessage: 'Trục liên thông báo lỗi: Không tìm thấy cơ quan nhận 000.00.92.H53' })]);

    const { client: leader } = await signedInClient(t.app, t.db, { agencyId: install.agency.id, roles: ['leader'] });
    expect((await leader.get('/api/exchange/outbox')).body.can).toMatchObject({ 'exchange.view': true, 'exchange.operate': false });
    expect((await leader.post(`/api/exchange/outbox/${failed?.id}/retry`, {})).body.error?.code).toBe('forbidden');
    const { client: otherClerk } = await signedInClient(t.app, t.db, { agencyId: (await makeAgency(t.db)).id, roles: ['clerk'] });
    expect((await otherClerk.get('/api/exchange/outbox')).body.data).toEqual([]);
    expect((await otherClerk.get('/api/exchange/alerts')).body.data).toEqual({ failedPackages: 0, refusedPackages: 0 });
    expect((await leader.get('/api/exchange/alerts')).body.data).toEqual({ failedPackages: 1, refusedPackages: 0 });
    expect((await otherClerk.post(`/api/exchange/outbox/${failed?.id}/retry`, {})).body.error?.code).toBe('exchange.outbox_not_found');

    const retried = await clerk.post(`/api/exchange/outbox/${failed?.id}/retry`, {});
    expect(retried.body.data).toMatchObject({ id: failed?.id, status: 'pending', attempts: 0 });
    expect(await sendingOnThePage()).toEqual([expect.objectContaining({ status: 'pending', attempts: 0 })]);
    expect((await clerk.get('/api/exchange/alerts')).body.data).toEqual({ failedPackages: 0, refusedPackages: 0 });
    expect((await clerk.post(`/api/exchange/outbox/${failed?.id}/retry`, {})).body.error).toMatchObject({ code: 'exchange.outbox_not_found', message: 'Chỉ gửi lại được gói tin đã lỗi.' });
    const ticks = await t.db.selectFrom('job').select('dedupeKey').where('type', '=', 'exchange.tick').where('dedupeKey', 'like', `exchange.tick:retry:${failed?.id}:%`).execute();
    expect(ticks).toHaveLength(1);
  });
});
