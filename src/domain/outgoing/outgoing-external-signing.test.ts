import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUser } from '../../test/factories.ts';
import { storeUpload } from '../files/files.service.ts';
import { installCertificate } from '../certificates/certificates.service.ts';
import { createTestPki, type TestPki } from '../signing/testing/pki.ts';
import { createDraft } from './outgoing.service.ts';
import { uploadVersion } from './outgoing-files.service.ts';
import { submitForReview } from './outgoing-review.service.ts';
import { finishExternal, prepareExternal } from './outgoing-signing.service.ts';
import { buildSampleDraft } from './outgoing.sample.ts';
import { currentMain } from './outgoing-files.service.ts';
import { outgoingRepo } from './outgoing.repository.ts';
import { findAnchor } from '../signing/appearance/appearance.anchor.ts';
import { makeSignaturePng } from '../signing/appearance/appearance.test-png.ts';

const t = useTestApp();
let pki: TestPki;
const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

beforeAll(async () => {
  pki = await createTestPki();
});

/** An agency with a drafter, a leader and an admin, and one document waiting for the leader's signature. */
async function documentForLeader() {
  const agency = await makeAgency(t.db, { shortName: 'UBND' });
  const staff = await makeUser(t.db, { agencyId: agency.id, roles: ['staff'] });
  const leader = await makeUser(t.db, { agencyId: agency.id, roles: ['leader'] });
  const admin = await makeUser(t.db, { agencyId: agency.id, roles: ['admin'] });
  const doc = await createDraft({ db: t.db, actor: staff.actor, body: {
    typeCode: 'cong_van', subject: 'V/v ký qua phần mềm ký số', urgency: 'thuong', secrecy: 'thuong', signerId: leader.user.id, signerCompetence: null,
    signerPosition: 'Chủ tịch', recipients: [], recipientsText: '- Lưu: VT.', archiveNote: 'VT', copies: 1, dueDate: null, note: '', participantIds: [], replacesId: null,
  } });
  const pdf = await buildSampleDraft({ agencyName: 'UBND', notation: 'UBND-VP', typeName: null, subject: doc.subject, body: ['Nội dung.'], recipients: [], position: 'Chủ tịch', signerName: leader.user.fullName });
  await uploadVersion({ db: t.db, deps: t.deps, actor: staff.actor, id: doc.id, main: await storeUpload(t.deps, { source: pdf, fileName: 'du-thao.pdf' }), appendices: [] });
  await submitForReview({ db: t.db, actor: staff.actor, id: doc.id });
  return { leader, admin, id: doc.id };
}

describe('external signing (prepare / finish) with the device certificate', () => {
  test('without a registered certificate the device certificate is used, and the document is signed', async () => {
    const { leader, id } = await documentForLeader();
    const c = { db: t.db, deps: t.deps, actor: leader.actor };
    const prepared = await prepareExternal({ ...c, ids: [id], certificate: b64(pki.leader.certDer) });
    const item = prepared.items[0];
    const signature = nodeSign('sha256', Buffer.from(item?.signedAttributes ?? '', 'base64'), createPrivateKey(pki.leader.keyPem));
    expect(await finishExternal({ ...c, sessionId: prepared.sessionId, signatures: [{ id, signature: signature.toString('base64') }] })).toEqual([{ id, ok: true, status: 'signed' }]);
  });

  test('a device certificate other than the registered one is refused before anything is prepared', async () => {
    const { leader, admin, id } = await documentForLeader();
    await installCertificate({ deps: t.deps, db: t.db, actor: admin.actor, purpose: 'personal', userId: leader.user.id, certDer: pki.leader.certDer, image: null, confirmNameMismatch: true });
    const c = { db: t.db, deps: t.deps, actor: leader.actor };
    await expect(prepareExternal({ ...c, ids: [id], certificate: b64(pki.seal.certDer) })).rejects.toMatchObject({ code: 'outgoing.certificate_mismatch', status: 409 });
    await expect(prepareExternal({ ...c, ids: [id], certificate: b64(pki.leader.certDer) })).resolves.toMatchObject({ items: [expect.objectContaining({ id })] });
  });

  test("with a registered signature image, the device signature's image is kept as the approval widget, so the clerk's seal goes over it (not into the page's corner)", async () => {
    const { leader, admin, id } = await documentForLeader();
    await installCertificate({ deps: t.deps, db: t.db, actor: admin.actor, purpose: 'personal', userId: leader.user.id, certDer: pki.leader.certDer, image: makeSignaturePng(), confirmNameMismatch: true });
    const c = { db: t.db, deps: t.deps, actor: leader.actor };
    const prepared = await prepareExternal({ ...c, ids: [id] });
    const signature = nodeSign('sha256', Buffer.from(prepared.items[0]?.signedAttributes ?? '', 'base64'), createPrivateKey(pki.leader.keyPem));
    expect(await finishExternal({ ...c, sessionId: prepared.sessionId, signatures: [{ id, signature: signature.toString('base64') }] })).toEqual([{ id, ok: true, status: 'signed' }]);
    const row = await t.db.selectFrom('outgoingDocument').select('approvalWidget').where('id', '=', id).executeTakeFirstOrThrow();
    const widget = row.approvalWidget as { page: number; rect: { x: number; y: number; width: number; height: number } } | null;
    const { main } = await currentMain(t.db, (await outgoingRepo.findById(t.db, id))!);
    const name = await findAnchor(await t.deps.blobs.get(main.sha256), leader.user.fullName, { occurrence: 'last' });
    expect(widget && name).toBeTruthy();
    // The image is centred over the signer's printed name, as the server-held signing places it.
    expect(Math.abs(widget!.rect.x + widget!.rect.width / 2 - (name!.x + name!.width / 2))).toBeLessThan(8);
    expect(widget!.rect.y).toBeGreaterThan(name!.y);
  });

  test('no registered certificate and garbage sent: certificates.invalid, not a crash', async () => {
    const { leader, id } = await documentForLeader();
    await expect(prepareExternal({ db: t.db, deps: t.deps, actor: leader.actor, ids: [id], certificate: Buffer.from('not a certificate').toString('base64') }))
      .rejects.toMatchObject({ code: 'certificates.invalid' });
  });
});
