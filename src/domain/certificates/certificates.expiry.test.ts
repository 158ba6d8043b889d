import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUser } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { recordBlob } from '../../platform/blobs/blobs.ts';
import { storeUpload } from '../files/files.service.ts';
import { createTestPki, TEST_PKI_PASSWORD, type TestPki, type TestPkiEntity } from '../signing/testing/pki.ts';
import { createDraft } from '../outgoing/outgoing.service.ts';
import { uploadVersion } from '../outgoing/outgoing-files.service.ts';
import { submitForReview } from '../outgoing/outgoing-review.service.ts';
import { finishExternal, prepareExternal, signApproval } from '../outgoing/outgoing-signing.service.ts';
import { issueOutgoing } from '../outgoing/outgoing-issue.service.ts';
import { buildSampleDraft } from '../outgoing/outgoing.sample.ts';
import { outgoingRepo } from '../outgoing/outgoing.repository.ts';
import { formatVnDate } from '../signing/appearance/appearance.time.ts';
import { certificatesRepo } from './certificates.repository.ts';
import { sealSecret } from './certificates.secrets.ts';

// A certificate is checked for its dates when the admin registers it; these are registered while valid
// and have expired since (the test PKI's «Phạm Hết Hạn» ended 35 days ago), put straight into the table.
const t = useTestApp();
let pki: TestPki;
const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

beforeAll(async () => {
  pki = await createTestPki();
});

/** Registers `entity` as the active seal of the agency or personal certificate of a user, its PKCS#12 held by the server. */
async function registerDirectly(o: { agencyId: string; purpose: 'seal' | 'personal'; userId?: string; entity: TestPkiEntity }) {
  const stored = await t.deps.blobs.put(o.entity.p12);
  await recordBlob(t.db, { ...stored, contentType: 'application/x-pkcs12' });
  await certificatesRepo.deactivate(t.db, { agencyId: o.agencyId, purpose: o.purpose, userId: o.userId ?? null });
  return certificatesRepo.insert(t.db, {
    agencyId: o.agencyId, purpose: o.purpose, userId: o.userId ?? null, subject: o.entity.subject, serialHex: o.entity.serialHex,
    notBefore: o.entity.notBefore, notAfter: o.entity.notAfter, certDer: Buffer.from(o.entity.certDer), chainDer: [],
    p12Sha256: stored.sha256, p12Secret: o.purpose === 'seal' ? await sealSecret(t.deps.config.dataDir, TEST_PKI_PASSWORD) : null, imageSha256: null,
  });
}

/** An agency with a drafter, a leader and a clerk, and a document waiting for the leader's signature, addressed to a unit. */
async function documentAwaitingSignature() {
  const agency = await makeAgency(t.db, { shortName: 'UBND' });
  const staff = await makeUser(t.db, { agencyId: agency.id, roles: ['staff'] });
  const leader = await makeUser(t.db, { agencyId: agency.id, roles: ['leader'], fullName: 'Phạm Hết Hạn' });
  const clerk = await makeUser(t.db, { agencyId: agency.id, roles: ['clerk'] });
  const doc = await createDraft({ db: t.db, actor: staff.actor, body: {
    typeCode: 'cong_van', subject: 'V/v chứng thư số hết hạn', urgency: 'thuong', secrecy: 'thuong', signerId: leader.user.id, signerCompetence: null,
    signerPosition: 'Chủ tịch', recipients: [{ kind: 'external', agencyCode: '000.00.99.G01', name: 'Bộ Thử nghiệm' }], recipientsText: '- Bộ Thử nghiệm;\n- Lưu: VT.',
    archiveNote: 'VT', copies: 1, dueDate: null, note: '', participantIds: [], replacesId: null,
  } });
  const pdf = await buildSampleDraft({ agencyName: 'UBND', notation: 'UBND-VP', typeName: null, subject: doc.subject, body: ['Nội dung.'], recipients: [], position: 'Chủ tịch', signerName: leader.user.fullName });
  await uploadVersion({ db: t.db, deps: t.deps, actor: staff.actor, id: doc.id, main: await storeUpload(t.deps, { source: pdf, fileName: 'du-thao.pdf' }), appendices: [] });
  await submitForReview({ db: t.db, actor: staff.actor, id: doc.id });
  return { agency, leader, clerk, id: doc.id };
}

const expiredMessage = (entity: TestPkiEntity) =>
  expect.stringContaining(`«Phạm Hết Hạn» hết hạn ngày ${formatVnDate(entity.notAfter)}`);

describe('a registered certificate that has expired since is refused when it is used', () => {
  test('signing with the server-held personal certificate: certificates.expired naming it and its end date, and the document stays unsigned', async () => {
    const { agency, leader, id } = await documentAwaitingSignature();
    await registerDirectly({ agencyId: agency.id, purpose: 'personal', userId: leader.user.id, entity: pki.expired });
    const refused = signApproval({ db: t.db, deps: t.deps, actor: leader.actor, ids: [id], pin: TEST_PKI_PASSWORD });
    await expect(refused).rejects.toMatchObject({ code: 'certificates.expired', status: 400, message: expiredMessage(pki.expired) });
    await expect(refused).rejects.toMatchObject({ message: expect.stringContaining('Liên hệ quản trị để đăng ký chứng thư mới') });
    expect((await outgoingRepo.findById(t.db, id))?.status).toBe('awaiting_signature');
  });

  test('signing through the signing agent: prepare refuses the registered expired certificate before the PIN is asked, and opens no session', async () => {
    const { agency, leader, id } = await documentAwaitingSignature();
    await registerDirectly({ agencyId: agency.id, purpose: 'personal', userId: leader.user.id, entity: pki.expired });
    await expect(prepareExternal({ db: t.db, deps: t.deps, actor: leader.actor, ids: [id], certificate: b64(pki.expired.certDer) }))
      .rejects.toMatchObject({ code: 'certificates.expired', message: expiredMessage(pki.expired) });
    expect(await t.db.selectFrom('outgoingSigningSession').select('id').where('userId', '=', leader.user.id).execute()).toEqual([]);
  });

  test('a token certificate not valid yet (none registered) is refused at prepare with the day it starts', async () => {
    const { leader, id } = await documentAwaitingSignature();
    await expect(prepareExternal({ db: t.db, deps: t.deps, actor: leader.actor, ids: [id], certificate: b64(pki.notYetValid.certDer) }))
      .rejects.toMatchObject({ code: 'certificates.expired', message: expect.stringContaining(`chỉ có hiệu lực từ ngày ${formatVnDate(pki.notYetValid.notBefore)}`) });
  });

  test('issuing with an expired seal is refused before a number is taken: the document stays signed, the register unchanged', async () => {
    const { agency, leader, clerk, id } = await documentAwaitingSignature();
    const c = { db: t.db, deps: t.deps, actor: leader.actor };
    const prepared = await prepareExternal({ ...c, ids: [id], certificate: b64(pki.leader.certDer) });
    const signature = nodeSign('sha256', Buffer.from(prepared.items[0]?.signedAttributes ?? '', 'base64'), createPrivateKey(pki.leader.keyPem));
    expect(await finishExternal({ ...c, sessionId: prepared.sessionId, signatures: [{ id, signature: signature.toString('base64') }] })).toEqual([{ id, ok: true, status: 'signed' }]);
    const seal = { ...pki.expired, subject: 'CN=Ủy ban nhân dân xã Thử, O=UBND, C=VN' };
    await registerDirectly({ agencyId: agency.id, purpose: 'seal', entity: seal });
    await expect(issueOutgoing({ db: t.db, deps: t.deps, actor: clerk.actor, id })).rejects.toMatchObject({
      code: 'certificates.expired',
      message: `Chứng thư số của cơ quan «Ủy ban nhân dân xã Thử» hết hạn ngày ${formatVnDate(seal.notAfter)}: không dùng để phát hành văn bản được. Liên hệ quản trị để đăng ký chứng thư mới.`,
    });
    const doc = await outgoingRepo.findById(t.db, id);
    expect(doc).toMatchObject({ status: 'signed', number: null, issuedAt: null });
    const used = await t.db.selectFrom('registerCounter as rc').innerJoin('register as r', 'r.id', 'rc.registerId').select('rc.lastNumber')
      .where('r.agencyId', '=', agency.id).where('rc.lastNumber', '>', 0).execute();
    expect(used).toEqual([]);
  });
});

describe('what the pages are told about a certificate nearing its end', () => {
  test("the admin's list gives each certificate's days left and whether it has expired; the leader's signing info gives theirs", async () => {
    const agency = await makeAgency(t.db);
    const admin = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['admin'] });
    const leader = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['leader'] });
    const soon = new Date(Date.now() + 10 * 86_400_000);
    await registerDirectly({ agencyId: agency.id, purpose: 'seal', entity: { ...pki.seal, notAfter: soon } });
    await registerDirectly({ agencyId: agency.id, purpose: 'personal', userId: leader.user.id, entity: pki.expired });
    const listed = (await admin.client.get('/api/outgoing/certificates')).body.data as { purpose: string; daysLeft: number; isExpired: boolean }[];
    expect(listed.map(({ purpose, daysLeft, isExpired }) => ({ purpose, daysLeft, isExpired })).sort((a, b) => a.purpose.localeCompare(b.purpose))).toEqual([
      { purpose: 'personal', daysLeft: -35, isExpired: true },
      { purpose: 'seal', daysLeft: 10, isExpired: false },
    ]);
    expect(((await leader.client.get('/api/outgoing/signing-info')).body.data as { personal: unknown }).personal).toMatchObject({ isExpired: true, daysLeft: -35, notAfter: pki.expired.notAfter.toISOString() });
    expect((await leader.client.get('/api/outgoing/certificates')).status).toBe(403);
  });
});
