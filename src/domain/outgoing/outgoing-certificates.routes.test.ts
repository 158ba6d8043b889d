import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { signedInClient } from '../../test/http.ts';
import { createTestPki, type TestPki } from '../signing/testing/pki.ts';
import { encodePng, makeSealPng, makeSignaturePng } from '../signing/appearance/appearance.test-png.ts';
import { draftOverHttp, makeAgencyWithOffice, type OfficeWorld } from './outgoing.testing.ts';
import { buildSampleDraft } from './outgoing.sample.ts';

// A production install (not demo): the agency's seal and its leaders' certificates come from a CA, through the admin's page.
const t = useTestApp();
let pki: TestPki;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const whitePng = () => encodePng({ width: 8, height: 8, type: 2, depth: 8, samples: () => [255, 255, 255] });

beforeAll(async () => {
  pki = await createTestPki();
});

async function officeWithAdmin() {
  const w = await makeAgencyWithOffice(t.app, t.db);
  const admin = await signedInClient(t.app, t.db, { agencyId: w.agency.id, roles: ['admin'] });
  return { ...w, admin };
}

/** A Công văn the leader signed with the certificate of their USB token (external signing); its id. */
async function signedByLeader(w: OfficeWorld): Promise<string> {
  const id = await draftOverHttp(w, { subject: 'V/v cài đặt chứng thư số cơ quan', signerPosition: 'Chủ tịch' });
  const pdf = await buildSampleDraft({ agencyName: 'UBND', notation: 'UBND-VP', typeName: null, subject: 'V/v cài đặt chứng thư số cơ quan', body: ['Nội dung.'], recipients: [], position: 'Chủ tịch', signerName: w.leader.user.fullName });
  const form = new FormData();
  form.set('main', new File([Buffer.from(pdf)], 'du-thao.pdf', { type: 'application/pdf' }));
  const uploaded = await t.app.request(`/api/outgoing/${id}/files`, { method: 'POST', body: form, headers: { cookie: w.staff.client.cookie, 'x-csrf-token': await csrfOf(w.staff.client) } });
  expect(uploaded.status).toBe(200);
  expect((await w.staff.client.post(`/api/outgoing/${id}/submit`, { reviewerIds: [] })).status).toBe(200);
  const prepared = await w.leader.client.post('/api/outgoing/sign/prepare', { ids: [id], certificate: b64(pki.leader.certDer) });
  const item = (prepared.body.data as { sessionId: string; items: { signedAttributes: string }[] });
  const signature = nodeSign('sha256', Buffer.from(item.items[0]?.signedAttributes ?? '', 'base64'), createPrivateKey(pki.leader.keyPem));
  const finished = await w.leader.client.post(`/api/outgoing/sign/${item.sessionId}/finish`, { signatures: [{ id, signature: signature.toString('base64') }] });
  expect(finished.body.data).toEqual([{ id, ok: true, status: 'signed' }]);
  return id;
}

async function csrfOf(client: OfficeWorld['staff']['client']): Promise<string> {
  const session = await client.get('/api/auth/session');
  return (session.body.data as { csrfToken: string }).csrfToken;
}

describe('the agency seal certificate, installed by the admin (production install)', () => {
  test('before it is installed the clerk is told so by the issue preview and cannot issue; once the admin installs the PKCS#12 with its seal image, the clerk issues the signed document', async () => {
    const w = await officeWithAdmin();
    const id = await signedByLeader(w);
    const before = await w.clerk.client.get(`/api/outgoing/${id}/issue-preview`);
    expect(before.body.data).toMatchObject({ seal: null, sealWillBeMade: false });
    const refused = await w.clerk.client.post(`/api/outgoing/${id}/issue`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'certificates.no_seal', message: expect.stringContaining('Quản trị cơ quan › Chứng thư số') });

    const installed = await w.admin.client.post('/api/outgoing/certificates/seal', { p12: b64(pki.seal.p12), password: pki.password, image: b64(makeSealPng()) });
    expect(installed.status).toBe(201);
    const listed = await w.admin.client.get('/api/outgoing/certificates');
    expect(listed.body.data).toEqual([expect.objectContaining({ purpose: 'seal', isActive: true, isServerHeld: true, hasImage: true, serialHex: pki.seal.serialHex })]);
    const after = await w.clerk.client.get(`/api/outgoing/${id}/issue-preview`);
    expect(after.body.data).toMatchObject({ seal: { isExpired: false, isNotYetValid: false }, sealWillBeMade: false });

    const issued = await w.clerk.client.post(`/api/outgoing/${id}/issue`, {});
    expect(issued.status).toBe(200);
    expect(issued.body.data).toMatchObject({ status: 'issued' });
  }, 60_000);

  test('only the agency admin installs it: a clerk or a leader gets 403 and nothing is installed', async () => {
    const w = await officeWithAdmin();
    for (const client of [w.clerk.client, w.leader.client]) {
      const res = await client.post('/api/outgoing/certificates/seal', { p12: b64(pki.seal.p12), password: pki.password });
      expect(res.status).toBe(403);
    }
    expect((await w.admin.client.get('/api/outgoing/certificates')).body.data).toEqual([]);
  });

  test('a wrong password, an expired certificate or a seal image on a white background is refused with its reason, before anything is kept', async () => {
    const w = await officeWithAdmin();
    const wrong = await w.admin.client.post('/api/outgoing/certificates/seal', { p12: b64(pki.seal.p12), password: 'sai-mat-khau' });
    expect(wrong.body.error?.code).toBe('signing.p12_bad_password');
    const expired = await w.admin.client.post('/api/outgoing/certificates/seal', { p12: b64(pki.expired.p12), password: pki.password });
    expect(expired.status).toBe(400);
    expect(expired.body.error).toMatchObject({ code: 'certificates.expired', message: expect.stringMatching(/^Chứng thư số chỉ có hiệu lực từ \d\d\/\d\d\/\d{4} đến \d\d\/\d\d\/\d{4}/) });
    const opaque = await w.admin.client.post('/api/outgoing/certificates/seal', { p12: b64(pki.seal.p12), password: pki.password, image: b64(whitePng()) });
    expect(opaque.status).toBe(400);
    expect(opaque.body.error).toMatchObject({ code: 'signing.image_not_transparent', message: expect.stringContaining('con dấu') });
    expect((await w.admin.client.get('/api/outgoing/certificates')).body.data).toEqual([]);
  });
});

describe("a leader's personal certificate, registered by the admin", () => {
  test("the admin registers the leader's certificate with a signature image; the list names the leader and the leader's signing info finds it", async () => {
    const w = await officeWithAdmin();
    const res = await w.admin.client.post('/api/outgoing/certificates/personal', { userId: w.leader.user.id, certificate: b64(pki.leader.certDer), image: b64(makeSignaturePng()), confirmNameMismatch: true });
    expect(res.status).toBe(201);
    expect((await w.admin.client.get('/api/outgoing/certificates')).body.data).toEqual([expect.objectContaining({
      purpose: 'personal', userId: w.leader.user.id, userFullName: w.leader.user.fullName, isServerHeld: false, hasImage: true,
    })]);
    const info = await w.leader.client.get('/api/outgoing/signing-info');
    expect(info.body.data).toMatchObject({ demo: false, personal: { hasServerKey: false } });
  });

  test('a staff member may not register one (403)', async () => {
    const w = await officeWithAdmin();
    const res = await w.staff.client.post('/api/outgoing/certificates/personal', { userId: w.leader.user.id, certificate: b64(pki.leader.certDer) });
    expect(res.status).toBe(403);
  });
});
