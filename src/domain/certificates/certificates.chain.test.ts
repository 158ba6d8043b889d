import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign as nodeSign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { recordBlob } from '../../platform/blobs/blobs.ts';
import { makeAgencyWithOffice, draftOverHttp, type OfficeWorld } from '../outgoing/outgoing.testing.ts';
import { signedInClient } from '../../test/http.ts';
import { DEMO_SIGNING_PIN } from './certificates.service.ts';
import { createTestHierarchy, createTestPki, startTestOcsp, type TestPki, type TestServer } from '../signing/testing/pki.ts';
import { runOpenssl } from '../signing/testing/pki-openssl.ts';
import { pdfsigVerify } from '../signing/testing/pki-nss.ts';
import { opensslVerify, trimDer } from '../signing/testing/check.ts';
import { openPdf } from '../signing/pdf/reader.ts';
import { listSignatures } from '../signing/pdf/structure.ts';
import { createRevocationCache } from '../signing/pki/revocation.cache.ts';
import { loadTrustStore } from '../signing/verify/verify.trust.ts';
import { verifyPdf } from '../signing/verify/verify.ts';
import { formatVnDate } from '../signing/appearance/appearance.time.ts';
import { makeSealPng } from '../signing/appearance/appearance.test-png.ts';

// A leader's certificate from a public CA (root → intermediate → person, as Ban Cơ yếu Chính phủ issues them),
// registered by the admin with its chain: every approval signature made with it carries the intermediate CA.
const t = useTestApp({ demo: true });
let pki: TestPki;
let ocsp: TestServer;
let rootOnly: string;
// Hierarchies whose own CA certificates are out of their dates while the holders' are fine.
type Hierarchy = Awaited<ReturnType<typeof createTestHierarchy>>;
let expiredIntermediate: Hierarchy;
let notYetValidIntermediate: Hierarchy;
let expiredRoot: Hierarchy;
const DAY = 86_400_000;
const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const cn = (der: Uint8Array) => /CN=([^\n]*)/.exec(new X509Certificate(der).subject)?.[1];

beforeAll(async () => {
  pki = await createTestPki();
  const now = Date.now();
  [expiredIntermediate, notYetValidIntermediate, expiredRoot] = await Promise.all([
    createTestHierarchy('hết hạn', { intermediate: { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 10 * DAY) } }),
    createTestHierarchy('chưa hiệu lực', { intermediate: { notBefore: new Date(now + 5 * DAY), notAfter: new Date(now + 900 * DAY) } }),
    createTestHierarchy('gốc hết hạn', { root: { notBefore: new Date(now - 4000 * DAY), notAfter: new Date(now - 1 * DAY) } }),
  ]);
  ocsp = await startTestOcsp(pki);
  // pdfsig's NSS database trusts the root and knows nothing else: the intermediate must come from the signature.
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-nss-root-'));
  rootOnly = `sql:${dir}`;
  execFileSync('certutil', ['-N', '-d', rootOnly, '--empty-password'], { stdio: 'ignore' });
  execFileSync('certutil', ['-A', '-n', 'root', '-t', 'CT,C,C', '-i', pki.root.certPath, '-d', rootOnly], { stdio: 'ignore' });
}, 120_000);
afterAll(async () => ocsp?.close());

/** An office whose admin registers the leader's certificate; the HTTP answer. */
async function registerLeader(w: OfficeWorld, files: Record<string, unknown>) {
  await t.db.updateTable('appUser').set({ fullName: 'Nguyễn Văn An' }).where('id', '=', w.leader.user.id).execute();
  const admin = await signedInClient(t.app, t.db, { agencyId: w.agency.id, roles: ['admin'] });
  const res = await admin.client.post('/api/outgoing/certificates/personal', { userId: w.leader.user.id, ...files });
  return { res, admin };
}

/** A draft with the sample file, waiting for the leader's signature. */
async function waitingForLeader(w: OfficeWorld) {
  const id = await draftOverHttp(w, { subject: 'V/v chuỗi chứng thư số' });
  expect((await w.staff.client.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
  expect((await w.staff.client.post(`/api/outgoing/${id}/submit`, { reviewerIds: [] })).status).toBe(200);
  return id;
}

async function signedPdf(id: string) {
  const row = await t.db.selectFrom('documentFile').select('sha256').where('ownerId', '=', id).where('kind', '=', 'signed').orderBy('createdAt', 'desc').executeTakeFirstOrThrow();
  return t.deps.blobs.get(row.sha256);
}

/** The names of the certificates a signature's CMS carries. */
function embeddedNames(pdf: Uint8Array, index = 0): (string | undefined)[] {
  const sig = listSignatures(openPdf(pdf))[index];
  const signed = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(Uint8Array.from(trimDer(sig?.contents ?? new Uint8Array()))).content });
  return (signed.certificates ?? []).map((c) => cn(new Uint8Array((c as pkijs.Certificate).toSchema().toBER())));
}

/** The leader signs on their own device (signing agent / USB token): prepare, sign the attributes with the key, finish. */
async function signOnDevice(w: OfficeWorld, id: string) {
  const prepared = await w.leader.client.post('/api/outgoing/sign/prepare', { ids: [id] });
  expect(prepared.status).toBe(200);
  const { sessionId, items } = prepared.body.data as { sessionId: string; items: { signedAttributes: string }[] };
  const signature = nodeSign('sha256', Buffer.from(items[0]?.signedAttributes ?? '', 'base64'), createPrivateKey(pki.leader.keyPem));
  const done = await w.leader.client.post(`/api/outgoing/sign/${sessionId}/finish`, { signatures: [{ id, signature: signature.toString('base64') }] });
  expect(done.body.data).toEqual([{ id, ok: true, status: 'signed' }]);
  return signedPdf(id);
}

/** vanthu's own verifier, trusting only the root and offline (no AIA download of a missing intermediate): its verdict. */
async function ownVerdict(pdf: Uint8Array) {
  const report = await verifyPdf(pdf, { trustStore: await loadTrustStore({ files: [pki.root.certPath] }), cache: createRevocationCache(), offline: true });
  return report.subIndication;
}

const intermediateAndRoot = () => pki.intermediate.certPem + pki.root.certPem;

describe("registering a leader's certificate with its chain", () => {
  test('a .cer with the chain as a PEM file is stored leaf → intermediate → root, and the page lists the issuers', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    // Root first, as some providers' bundles have it: the server puts the chain in order.
    const { res, admin } = await registerLeader(w, { certificate: b64(pki.leader.certDer), chain: b64(pki.root.certPem + pki.intermediate.certPem) });
    expect(res.status).toBe(201);
    const list = await admin.client.get('/api/outgoing/certificates');
    const personal = (list.body.data as { purpose: string; issuers: string[] }[]).find((c) => c.purpose === 'personal');
    expect(personal?.issuers).toEqual([cn(pki.intermediate.certDer), cn(pki.root.certDer)]);
  });

  test('a .p7b holding the certificate and its chain, and a PKCS#12 whose key is not kept, are read as well', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-p7b-'));
    await runOpenssl(['crl2pkcs7', '-nocrl', '-certfile', pki.leader.certPath, '-certfile', pki.intermediate.certPath, '-certfile', pki.root.certPath, '-outform', 'DER', '-out', join(dir, 'leader.p7b')]);
    const p7b = new Uint8Array(readFileSync(join(dir, 'leader.p7b')));
    for (const files of [{ certificate: b64(p7b) }, { certificate: b64(pki.leader.p12), password: pki.password }]) {
      const w = await makeAgencyWithOffice(t.app, t.db);
      const { res } = await registerLeader(w, files);
      expect(res.status).toBe(201);
      const row = await t.db.selectFrom('signingCertificate').select(['certDer', 'chainDer', 'p12Sha256']).where('userId', '=', w.leader.user.id).executeTakeFirstOrThrow();
      expect(cn(row.certDer)).toBe('Nguyễn Văn An');
      expect(row.chainDer.map((c) => cn(c))).toEqual([cn(pki.intermediate.certDer), cn(pki.root.certDer)]);
      expect(row.p12Sha256).toBeNull();
    }
  });

  test('a chain from another CA is refused with certificates.chain_broken, naming it, and nothing is kept', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const { res } = await registerLeader(w, { certificate: b64(pki.leader.certDer), chain: b64(pki.untrustedRoot.certPem) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'certificates.chain_broken', message: expect.stringContaining(`«${cn(pki.untrustedRoot.certDer)}» không thuộc chuỗi cấp`) });
    expect(await t.db.selectFrom('signingCertificate').select('id').where('userId', '=', w.leader.user.id).execute()).toHaveLength(0);
  });

  test("an «intermediate» with the real one's name but another key (it did not sign the certificate) is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-impostor-'));
    const subject = '/' + new X509Certificate(pki.intermediate.certDer).subject.split('\n').join('/');
    await runOpenssl(['req', '-x509', '-utf8', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-subj', subject, '-days', '30',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-out', join(dir, 'impostor.pem')]);
    const w = await makeAgencyWithOffice(t.app, t.db);
    const { res } = await registerLeader(w, { certificate: b64(pki.leader.certDer), chain: b64(readFileSync(join(dir, 'impostor.pem'))) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'certificates.chain_broken', message: expect.stringContaining('khóa của nó không ký chứng thư này') });
  });

  test('a chain file that holds no certificate is refused with certificates.invalid', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const { res } = await registerLeader(w, { certificate: b64(pki.leader.certDer), chain: b64('không phải chứng thư') });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'certificates.invalid', message: expect.stringContaining('tệp chuỗi chứng thư') });
  });
});

describe('signatures made with a certificate registered with its chain', () => {
  test('signed on the leader\'s device: the CMS carries the intermediate (not the root), and pdfsig, openssl and our own verifier, trusting only the root, build the path to it', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    expect((await registerLeader(w, { certificate: b64(pki.leader.certDer), chain: b64(intermediateAndRoot()) })).res.status).toBe(201);
    const pdf = await signOnDevice(w, await waitingForLeader(w));
    expect(embeddedNames(pdf)).toEqual([cn(pki.leader.certDer), cn(pki.intermediate.certDer)]);
    expect((await pdfsigVerify(pdf, rootOnly, { ocsp: true }))[0]).toMatchObject({ valid: true, certificate: 'Certificate is Trusted.' });
    expect(opensslVerify(pdf, 0, pki.root.certPath)).toMatchObject({ ok: true });
    // The path is built from the signature alone; only the revocation check is left for when it is online.
    expect(await ownVerdict(pdf)).toBe('TRY_LATER');
  });

  test('registered without its chain, the same signature carries the leaf alone and neither pdfsig, openssl nor our verifier (offline) knows its issuer', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    expect((await registerLeader(w, { certificate: b64(pki.leader.certDer) })).res.status).toBe(201);
    const pdf = await signOnDevice(w, await waitingForLeader(w));
    expect(embeddedNames(pdf)).toEqual([cn(pki.leader.certDer)]);
    expect((await pdfsigVerify(pdf, rootOnly, { ocsp: true }))[0]?.certificate).not.toBe('Certificate is Trusted.');
    expect(opensslVerify(pdf, 0, pki.root.certPath).ok).toBe(false);
    expect(await ownVerdict(pdf)).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  test('without a registered certificate, the CA certificates the signing agent read from the token go in as far as they link (another CA\'s are left out)', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await waitingForLeader(w);
    const chain = [pki.untrustedRoot.certDer, pki.root.certDer, pki.intermediate.certDer].map((c) => b64(c));
    const prepared = await w.leader.client.post('/api/outgoing/sign/prepare', { ids: [id], certificate: b64(pki.leader.certDer), chain });
    expect(prepared.status).toBe(200);
    const { sessionId, items } = prepared.body.data as { sessionId: string; items: { signedAttributes: string }[] };
    const signature = nodeSign('sha256', Buffer.from(items[0]?.signedAttributes ?? '', 'base64'), createPrivateKey(pki.leader.keyPem));
    expect((await w.leader.client.post(`/api/outgoing/sign/${sessionId}/finish`, { signatures: [{ id, signature: signature.toString('base64') }] })).status).toBe(200);
    const pdf = await signedPdf(id);
    expect(embeddedNames(pdf)).toEqual([cn(pki.leader.certDer), cn(pki.intermediate.certDer)]);
    expect((await pdfsigVerify(pdf, rootOnly, { ocsp: true }))[0]).toMatchObject({ valid: true, certificate: 'Certificate is Trusted.' });
  });

  test('a batch signed with a server-held PKCS#12 that lacks the chain: each signature still carries the registered intermediate', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    expect((await registerLeader(w, { certificate: b64(pki.leader.certDer), chain: b64(intermediateAndRoot()) })).res.status).toBe(201);
    const leafOnly = await runOpenssl(['pkcs12', '-export', '-inkey', pki.leader.keyPath, '-in', pki.leader.certPath, '-passout', `pass:${DEMO_SIGNING_PIN}`]);
    const stored = await t.deps.blobs.put(leafOnly);
    await recordBlob(t.db, { ...stored, contentType: 'application/x-pkcs12' });
    await t.db.updateTable('signingCertificate').set({ p12Sha256: stored.sha256 }).where('userId', '=', w.leader.user.id).execute();
    const ids = [await waitingForLeader(w), await waitingForLeader(w)];
    const signed = await w.leader.client.post('/api/outgoing/sign', { ids, pin: DEMO_SIGNING_PIN });
    expect(signed.body.data).toEqual(ids.map((id) => ({ id, ok: true, status: 'signed' })));
    for (const id of ids) {
      const pdf = await signedPdf(id);
      expect(embeddedNames(pdf)).toEqual([cn(pki.leader.certDer), cn(pki.intermediate.certDer)]);
      expect((await pdfsigVerify(pdf, rootOnly, { ocsp: true }))[0]).toMatchObject({ valid: true, certificate: 'Certificate is Trusted.' });
    }
  });
});

/** The seal's PKCS#12: its certificate and key with `chain` (PEM files, in the order given) as the CA certificates the file holds. */
async function sealP12(chain: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-seal-p12-'));
  const certfile = join(dir, 'chain.pem');
  writeFileSync(certfile, chain.map((path) => readFileSync(path, 'utf8')).join(''));
  return runOpenssl(['pkcs12', '-export', '-inkey', pki.seal.keyPath, '-in', pki.seal.certPath, '-certfile', certfile, '-passout', `pass:${pki.password}`]);
}

/** The admin of `w`'s agency installs the seal; the HTTP answer. */
async function installSeal(w: OfficeWorld, p12: Uint8Array, password = pki.password) {
  const admin = await signedInClient(t.app, t.db, { agencyId: w.agency.id, roles: ['admin'] });
  return admin.client.post('/api/outgoing/certificates/seal', { p12: b64(p12), password, image: b64(makeSealPng()) });
}

const sealRows = (w: OfficeWorld) => t.db.selectFrom('signingCertificate').select(['chainDer']).where('agencyId', '=', w.agency.id).where('purpose', '=', 'seal').execute();

describe("the agency seal's PKCS#12 chain", () => {
  test('a .p12 with the root before the intermediate is stored leaf → intermediate → root; the issued PDF\'s seal carries the intermediate, not the root, and pdfsig and openssl trusting only the root accept both signatures', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    expect((await installSeal(w, await sealP12([pki.root.certPath, pki.intermediate.certPath]))).status).toBe(201);
    const [row] = await sealRows(w);
    expect(row?.chainDer.map((c) => cn(c))).toEqual([cn(pki.intermediate.certDer), cn(pki.root.certDer)]);

    expect((await registerLeader(w, { certificate: b64(pki.leader.certDer), chain: b64(intermediateAndRoot()) })).res.status).toBe(201);
    const id = await waitingForLeader(w);
    await signOnDevice(w, id);
    expect((await w.clerk.client.post(`/api/outgoing/${id}/issue`, {})).status).toBe(200);
    const issued = await signedPdf(id);
    expect(embeddedNames(issued, 1)).toEqual([cn(pki.seal.certDer), cn(pki.intermediate.certDer)]);
    expect(await pdfsigVerify(issued, rootOnly, { ocsp: true })).toEqual([0, 1].map(() => expect.objectContaining({ valid: true, certificate: 'Certificate is Trusted.' })));
    expect(opensslVerify(issued, 1, pki.root.certPath)).toMatchObject({ ok: true });
  }, 60_000);

  test('a .p12 that also holds another CA\'s certificate is refused with certificates.chain_broken naming it, and nothing is installed', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const res = await installSeal(w, await sealP12([pki.intermediate.certPath, pki.root.certPath, pki.untrustedRoot.certPath]));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'certificates.chain_broken', message: expect.stringContaining(`«${cn(pki.untrustedRoot.certDer)}» không thuộc chuỗi cấp`) });
    expect(await sealRows(w)).toEqual([]);
  });
});

describe("a chain whose CA certificates are out of their dates (the holder's own are fine)", () => {
  const refusal = (h: Hierarchy, role: 'intermediate' | 'root', when: string) => ({
    code: 'certificates.chain_expired', message: expect.stringContaining(`Chứng thư «${cn(h[role].certDer)}» trong chuỗi của tổ chức cấp ${when}:`),
  });

  test('an expired intermediate or root refuses a leader\'s certificate, naming it and the day it expired; one not valid yet, the day it begins; nothing is kept', async () => {
    const cases = [
      [expiredIntermediate, refusal(expiredIntermediate, 'intermediate', `đã hết hạn ngày ${formatVnDate(expiredIntermediate.intermediate.notAfter)}`)],
      [notYetValidIntermediate, refusal(notYetValidIntermediate, 'intermediate', `chỉ có hiệu lực từ ngày ${formatVnDate(notYetValidIntermediate.intermediate.notBefore)}`)],
      [expiredRoot, refusal(expiredRoot, 'root', `đã hết hạn ngày ${formatVnDate(expiredRoot.root.notAfter)}`)],
    ] as const;
    for (const [h, error] of cases) {
      const w = await makeAgencyWithOffice(t.app, t.db);
      const { res } = await registerLeader(w, { certificate: b64(h.leader.certDer), chain: b64(h.intermediate.certPem + h.root.certPem) });
      expect([res.status, res.body.error]).toEqual([400, expect.objectContaining(error)]);
      expect(await t.db.selectFrom('signingCertificate').select('id').where('userId', '=', w.leader.user.id).execute()).toEqual([]);
    }
  });

  test('the seal\'s PKCS#12 whose intermediate expired is refused the same way, and nothing is installed', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const res = await installSeal(w, expiredIntermediate.seal.p12, expiredIntermediate.password);
    expect([res.status, res.body.error]).toEqual([400, expect.objectContaining(refusal(expiredIntermediate, 'intermediate', `đã hết hạn ngày ${formatVnDate(expiredIntermediate.intermediate.notAfter)}`))]);
    expect(await sealRows(w)).toEqual([]);
  });

  test('a holder\'s certificate expired today, with a valid chain, is refused for its own dates as before (certificates.expired, naming them)', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const { res } = await registerLeader(w, { certificate: b64(pki.expired.certDer), chain: b64(intermediateAndRoot()), confirmNameMismatch: true });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'certificates.expired', message: expect.stringContaining(`đến ${formatVnDate(pki.expired.notAfter)}`) });
  });
});
