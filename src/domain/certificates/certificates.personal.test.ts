import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { signedInClient } from '../../test/http.ts';
import { makeAgency, makeUser } from '../../test/factories.ts';
import { createTestPki, type TestPki } from '../signing/testing/pki.ts';
import { installCertificate } from './certificates.service.ts';
import { commonNameOf, isCertificateOfUser } from './certificates.names.ts';

// A production install: the admin registers a leader's personal certificate (CN «Nguyễn Văn An») from the «Chứng thư số» page.
const t = useTestApp();
let pki: TestPki;
const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

beforeAll(async () => {
  pki = await createTestPki();
});

/** An agency with an admin and a leader called `leaderName`. */
async function agencyWithLeader(leaderName: string) {
  const agency = await makeAgency(t.db);
  const admin = await makeUser(t.db, { agencyId: agency.id, roles: ['admin'] });
  const leader = await makeUser(t.db, { agencyId: agency.id, roles: ['leader'] });
  await t.db.updateTable('appUser').set({ fullName: leaderName }).where('id', '=', leader.user.id).execute();
  return { agency, admin, leader };
}

const personalCount = async (userId: string) =>
  (await t.db.selectFrom('signingCertificate').select('id').where('userId', '=', userId).execute()).length;

describe("the name on a leader's personal certificate", () => {
  test('a «Nguyễn Văn An» certificate registered to «Trần Văn Minh» is refused, naming both, and nothing is kept', async () => {
    const { admin, leader } = await agencyWithLeader('Trần Văn Minh');
    const refused = installCertificate({ deps: t.deps, db: t.db, actor: admin.actor, purpose: 'personal', userId: leader.user.id, certDer: pki.leader.certDer, image: null });
    await expect(refused).rejects.toMatchObject({
      code: 'certificates.name_mismatch', status: 409,
      message: expect.stringMatching(/«Nguyễn Văn An».*«Trần Văn Minh».*«Vẫn đăng ký»/),
      details: { certificateName: 'Nguyễn Văn An', userFullName: 'Trần Văn Minh' },
    });
    expect(await personalCount(leader.user.id)).toBe(0);
  });

  test('when the admin confirms the mismatch, the certificate is registered', async () => {
    const { admin, leader } = await agencyWithLeader('Trần Văn Minh');
    const row = await installCertificate({ deps: t.deps, db: t.db, actor: admin.actor, purpose: 'personal', userId: leader.user.id, certDer: pki.leader.certDer, image: null, confirmNameMismatch: true });
    expect(row).toMatchObject({ userId: leader.user.id, purpose: 'personal', isActive: true });
  });

  test('the same name is accepted whatever its capitals, and without diacritics as a fallback', async () => {
    for (const name of ['Nguyễn Văn An', 'NGUYỄN VĂN AN', 'Nguyen Van An']) {
      const { admin, leader } = await agencyWithLeader(name);
      await installCertificate({ deps: t.deps, db: t.db, actor: admin.actor, purpose: 'personal', userId: leader.user.id, certDer: pki.leader.certDer, image: null });
      expect(await personalCount(leader.user.id)).toBe(1);
    }
  });

  test('over HTTP the page gets the code and its message, then registers with confirmNameMismatch', async () => {
    const agency = await makeAgency(t.db);
    const admin = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['admin'] });
    const leader = await makeUser(t.db, { agencyId: agency.id, roles: ['leader'] });
    const body = { userId: leader.user.id, certificate: b64(pki.leader.certDer) };
    const refused = await admin.client.post('/api/outgoing/certificates/personal', body);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'certificates.name_mismatch', message: expect.stringContaining(`«${leader.user.fullName}»`) });
    const confirmed = await admin.client.post('/api/outgoing/certificates/personal', { ...body, confirmNameMismatch: true });
    expect(confirmed.status).toBe(201);
  });
});

describe("the validity of a leader's personal certificate", () => {
  test('an expired or a not yet valid certificate is refused even with the name confirmed, with its dates', async () => {
    const { admin, leader } = await agencyWithLeader('Phạm Hết Hạn');
    for (const cert of [pki.expired, pki.notYetValid]) {
      const refused = installCertificate({ deps: t.deps, db: t.db, actor: admin.actor, purpose: 'personal', userId: leader.user.id, certDer: cert.certDer, image: null, confirmNameMismatch: true });
      await expect(refused).rejects.toMatchObject({ code: 'certificates.expired', status: 400, message: expect.stringContaining('chỉ có hiệu lực từ') });
    }
    expect(await personalCount(leader.user.id)).toBe(0);
  });
});

describe('matching a CN with a full name', () => {
  test('the CN is read from the subject', () => {
    expect(commonNameOf('CN=Nguyễn Văn An\ntitle=Chủ tịch\nO=UBND\nC=VN')).toBe('Nguyễn Văn An');
    expect(commonNameOf('O=UBND\nC=VN')).toBe('');
  });

  test('extra text around the name is accepted, a different or partial name is not', () => {
    expect(isCertificateOfUser('NGUYỄN VĂN AN (USB token)', 'Nguyễn Văn An')).toBe(true);
    expect(isCertificateOfUser('Nguyễn Văn An - 012345678901', 'Nguyễn  Văn An')).toBe(true);
    expect(isCertificateOfUser('Nguyen Van An', 'Nguyễn Văn An')).toBe(true);
    // NFD input (as some systems store it) is the same name.
    expect(isCertificateOfUser('Nguyễn Văn An'.normalize('NFD'), 'Nguyễn Văn An')).toBe(true);
    expect(isCertificateOfUser('Nguyễn Văn An', 'Trần Văn Minh')).toBe(false);
    expect(isCertificateOfUser('Nguyễn Văn Anh', 'Nguyễn Văn An')).toBe(false);
    expect(isCertificateOfUser('', 'Nguyễn Văn An')).toBe(false);
  });
});
