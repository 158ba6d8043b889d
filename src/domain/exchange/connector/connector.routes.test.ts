import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatabaseHandle } from '../../../platform/db/client.ts';
import { createApp } from '../../../platform/http/app.ts';
import { createTestDb } from '../../../test/db.ts';
import { makeAgency, makeDeps } from '../../../test/factories.ts';
import { signedInClient } from '../../../test/http.ts';
import { connectorRepo } from './connector.repository.ts';

let handle: DatabaseHandle;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  handle = await createTestDb();
  app = createApp(await makeDeps(handle.db));
});
afterAll(async () => handle?.close());

const body = { endpoint: 'http://127.0.0.1:8181/vxp/', systemId: '000.00.01.H53', secret: 'a-secret-123', isEnabled: true };

describe('exchange routes', () => {
  test('an admin sets the endpoint (secret never shown back); a clerk reads the outbox', async () => {
    const agency = await makeAgency(handle.db);
    const { client: admin } = await signedInClient(app, handle.db, { agencyId: agency.id, roles: ['admin'] });
    const set = await admin.post('/api/exchange/endpoint', body);
    expect(set.status).toBe(200);
    expect(set.body.data).toMatchObject({ endpoint: 'http://127.0.0.1:8181/vxp', systemId: '000.00.01.H53', isEnabled: true });
    expect(JSON.stringify((await admin.get('/api/exchange/endpoint')).body)).not.toContain('a-secret-123');
    const { client: clerk } = await signedInClient(app, handle.db, { agencyId: agency.id, roles: ['clerk'] });
    const outbox = await clerk.get('/api/exchange/outbox?status=failed');
    expect(outbox.status).toBe(200);
    expect(outbox.body.data).toEqual([]);
  });

  test('a clerk may not set the endpoint, staff may not read the outbox, a bad URL is refused', async () => {
    const agency = await makeAgency(handle.db);
    const { client: clerk } = await signedInClient(app, handle.db, { agencyId: agency.id, roles: ['clerk'] });
    const denied = await clerk.post('/api/exchange/endpoint', body);
    expect(denied.status).toBe(403);
    expect(denied.body.error?.code).toBe('forbidden');
    const { client: staff } = await signedInClient(app, handle.db, { agencyId: agency.id, roles: ['staff'] });
    expect((await staff.get('/api/exchange/outbox')).status).toBe(403);
    const { client: admin } = await signedInClient(app, handle.db, { agencyId: agency.id, roles: ['admin'] });
    expect((await admin.post('/api/exchange/endpoint', { ...body, endpoint: 'ftp://x' })).body.error?.code).toBe('exchange.bad_endpoint');
  });

  test('the refused list tells the clerk who sent it, why and how often it was tried; only a package that could not be fetched can be fetched again, by a clerk of that agency', async () => {
    const agency = await makeAgency(handle.db);
    const sender = '000.00.91.H53';
    await connectorRepo.upsertDirectory(handle.db, [{ code: sender, name: 'Sở Giao thông vận tải', parentCode: null, mail: 'sgtvt@example.gov.vn', isDeleted: false }]);
    const refuse = (axisDocId: string, reason: string) =>
      connectorRepo.insertReceived(handle.db, { agencyId: agency.id, axisDocId, messageType: 'edoc', packageKey: null, outcome: 'refused', reason, senderCode: sender });
    await refuse('doc-tampered', '[exchange.package_refused] Chữ ký số của gói tin không hợp lệ (gói tin bị sửa đổi?): digest mismatch');
    await refuse('doc-unreadable', '[exchange.package_unreadable] Không nhận được gói tin sau 8 lần thử: [axis.remote_error] Không tìm thấy tệp.');
    const { client: clerk } = await signedInClient(app, handle.db, { agencyId: agency.id, roles: ['clerk'] });

    const list = await clerk.get('/api/exchange/refused');
    expect(list.status).toBe(200);
    expect(list.body.can).toMatchObject({ 'exchange.operate': true });
    const [unreadable, tampered] = list.body.data as { id: number; axisDocId: string; code: string; message: string; attempts: number; canRefetch: boolean; senderName: string | null; senderMail: string | null }[];
    expect(unreadable).toMatchObject({ axisDocId: 'doc-unreadable', code: 'exchange.package_unreadable', attempts: 8, canRefetch: true, senderName: 'Sở Giao thông vận tải', senderMail: 'sgtvt@example.gov.vn' });
    expect(tampered).toMatchObject({ axisDocId: 'doc-tampered', code: 'exchange.package_refused', attempts: 1, canRefetch: false, message: expect.stringMatching(/^Chữ ký số/) });

    const { client: staff } = await signedInClient(app, handle.db, { agencyId: agency.id, roles: ['staff'] });
    expect((await staff.get('/api/exchange/refused')).status).toBe(403);
    const { client: leader } = await signedInClient(app, handle.db, { agencyId: agency.id, roles: ['leader'] });
    expect((await leader.get('/api/exchange/refused')).status).toBe(200);
    expect((await leader.post(`/api/exchange/refused/${unreadable?.id}/refetch`, {})).body.error?.code).toBe('forbidden');
    const { client: otherClerk } = await signedInClient(app, handle.db, { agencyId: (await makeAgency(handle.db)).id, roles: ['clerk'] });
    expect((await otherClerk.post(`/api/exchange/refused/${unreadable?.id}/refetch`, {})).body.error?.code).toBe('exchange.refused_not_found');
    expect((await clerk.post(`/api/exchange/refused/${tampered?.id}/refetch`, {})).body.error?.code).toBe('exchange.not_refetchable');
    expect((await clerk.post('/api/exchange/refused/abc/refetch', {})).status).toBe(400);

    const refetched = await clerk.post(`/api/exchange/refused/${unreadable?.id}/refetch`, {});
    expect(refetched.status).toBe(200);
    expect((await clerk.get('/api/exchange/refused')).body.data).toEqual([expect.objectContaining({ axisDocId: 'doc-tampered' })]);
    const audited = await handle.db.selectFrom('auditLog').select(['entityId', 'data']).where('type', '=', 'EXCHANGE_REFUSED_REFETCH').where('agencyId', '=', agency.id).execute();
    expect(audited).toEqual([expect.objectContaining({ entityId: 'doc-unreadable', data: expect.objectContaining({ senderCode: sender }) })]);
  });
});
