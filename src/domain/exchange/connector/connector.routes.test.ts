import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatabaseHandle } from '../../../platform/db/client.ts';
import { createApp } from '../../../platform/http/app.ts';
import { createTestDb } from '../../../test/db.ts';
import { makeAgency, makeDeps } from '../../../test/factories.ts';
import { signedInClient } from '../../../test/http.ts';

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
});
