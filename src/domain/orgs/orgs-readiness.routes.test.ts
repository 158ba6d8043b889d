import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { signedInClient } from '../../test/http.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { createTestPki, type TestPki } from '../signing/testing/pki.ts';
import { installCertificate } from '../certificates/certificates.service.ts';
import { vietnamYear } from '../registers/registers.service.ts';

// A new production install (no demo data): an agency created by the province admin, and its own admin's home page.
const t = useTestApp();
let pki: TestPki;
const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

beforeAll(async () => {
  pki = await createTestPki();
});

type Readiness = { items: { key: string; isDone: boolean; facts?: Record<string, unknown> }[]; isReady: boolean };

async function readinessOf(client: Awaited<ReturnType<typeof signedInClient>>['client'], agencyId: string) {
  const res = await client.get(`/api/orgs/agencies/${agencyId}/readiness`);
  expect(res.status).toBe(200);
  return res.body.data as Readiness;
}
const notDone = (r: Readiness) => r.items.filter((i) => !i.isDone).map((i) => i.key);

describe('the agency admin\'s checklist «Chuẩn bị đưa vào sử dụng»', () => {
  test('on day one every step but the default registers is to do; each step done on its screen is then ticked, until the agency is ready', async () => {
    const province = await makeAgency(t.db, { name: 'Ủy ban nhân dân tỉnh Sẵn Sàng' });
    const agency = await makeAgency(t.db, { parentId: province.id, name: 'Ủy ban nhân dân xã Sẵn Sàng', level: 'commune' });
    const admin = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['admin'] });

    const first = await readinessOf(admin.client, agency.id);
    expect(first.items.map((i) => i.key)).toEqual(['agency_info', 'units', 'clerk', 'leader', 'seal_certificate', 'leader_certificate', 'trusted_roots', 'registers', 'records_plan']);
    expect(notDone(first)).toEqual(['agency_info', 'units', 'clerk', 'leader', 'seal_certificate', 'leader_certificate', 'trusted_roots', 'records_plan']);
    expect(first.isReady).toBe(false);

    // «Đơn vị › Thông tin cơ quan»: the admin checks and saves the địa danh
    expect((await admin.client.patch(`/api/orgs/agencies/${agency.id}`, { placeName: 'Sẵn Sàng' })).status).toBe(200);
    await makeUnit(t.db, agency.id, 'Văn phòng');
    await makeUser(t.db, { agencyId: agency.id, roles: ['clerk'] });
    const leader = await makeUser(t.db, { agencyId: agency.id, roles: ['leader'] });
    expect(notDone(await readinessOf(admin.client, agency.id))).toEqual(['seal_certificate', 'leader_certificate', 'trusted_roots', 'records_plan']);

    // «Chứng thư số»: the seal PKCS#12 and the leader's certificate
    expect((await admin.client.post('/api/outgoing/certificates/seal', { p12: b64(pki.seal.p12), password: pki.password })).status).toBe(201);
    await installCertificate({ deps: t.deps, db: t.db, actor: admin.actor, purpose: 'personal', userId: leader.user.id, certDer: pki.leader.certDer, image: null, confirmNameMismatch: true });
    // the province admin adds the install's trusted root
    const provinceAdmin = await signedInClient(t.app, t.db, { agencyId: province.id, roles: ['province_admin'] });
    expect((await provinceAdmin.client.post('/api/verification/trust', pki.root.certPem, { 'content-type': 'application/x-pem-file' })).status).toBe(201);
    expect(notDone(await readinessOf(admin.client, agency.id))).toEqual(['records_plan']);

    // this year's danh mục hồ sơ
    const year = vietnamYear(new Date());
    await t.db.insertInto('recordsPlanEntry').values({ agencyId: agency.id, year, notation: '01', title: 'Hồ sơ hội nghị', retention: '10' }).execute();
    const ready = await readinessOf(admin.client, agency.id);
    expect(ready).toMatchObject({ isReady: true });
    expect(ready.items.find((i) => i.key === 'agency_info')?.facts).toMatchObject({ placeName: 'Sẵn Sàng' });
    expect(ready.items.find((i) => i.key === 'records_plan')?.facts).toEqual({ year, count: 1 });
  }, 60_000);

  test('registers all stopped for văn bản đi, or a leader\'s expired certificate, count as not done', async () => {
    const agency = await makeAgency(t.db);
    const admin = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['admin'] });
    await t.db.insertInto('register').values({ agencyId: agency.id, kind: 'outgoing', name: 'Sổ đăng ký văn bản đi', isActive: false }).execute();
    const leader = await makeUser(t.db, { agencyId: agency.id, roles: ['leader'] });
    await installCertificate({ deps: t.deps, db: t.db, actor: admin.actor, purpose: 'personal', userId: leader.user.id, certDer: pki.leader.certDer, image: null, confirmNameMismatch: true });
    await t.db.updateTable('signingCertificate').set({ notAfter: new Date(Date.now() - 86_400_000) }).where('userId', '=', leader.user.id).execute();
    const r = await readinessOf(admin.client, agency.id);
    expect(notDone(r)).toEqual(expect.arrayContaining(['registers', 'leader_certificate']));
  });

  test('only the agency\'s own admins see it: its clerk and leader, another agency\'s admin and the province admin above get 403', async () => {
    const province = await makeAgency(t.db);
    const agency = await makeAgency(t.db, { parentId: province.id, level: 'commune' });
    const own = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['admin'] });
    expect((await own.client.get(`/api/orgs/agencies/${agency.id}/readiness`)).status).toBe(200);
    const others = [
      await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['clerk'] }),
      await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['leader'] }),
      await signedInClient(t.app, t.db, { roles: ['admin'] }),
      await signedInClient(t.app, t.db, { agencyId: province.id, roles: ['province_admin'] }),
    ];
    for (const other of others) {
      const res = await other.client.get(`/api/orgs/agencies/${agency.id}/readiness`);
      expect(res.status).toBe(403);
      expect(res.body.error?.code).toBe('forbidden');
    }
  });
});
