import 'reflect-metadata';
import { createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../../test/tools.ts';
import { createKeySigner } from '../keys.ts';
import { parseCert } from '../pki/pki.cert.ts';
import { createRevocationCache } from '../pki/revocation.cache.ts';
import { signPdf } from '../signing.pades.ts';
import { makePdfLib } from '../testing/corpus.ts';
import { runOpenssl } from '../testing/pki-openssl.ts';
import { createTestPki, startTestOcsp, type TestPki, type TestServer } from '../testing/pki.ts';
import { AIA_FAILURE_MEMORY_MS, AIA_MAX_BYTES, buildChain } from './verify.chain.ts';
import { loadTrustStore, type TrustStore } from './verify.trust.ts';
import { verifyPdf } from './verify.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as RsaHashedImportParams;
const KU = x509.KeyUsageFlags;

type Issued = { der: Uint8Array; key: KeyObject };

/** A certificate issued by `issuer` (its PEM and key): a CA or a signer, with the issuer's address (caIssuers) and CRL when given. */
async function issue(o: { subject: string; issuer: { certPem: string; keyPem: string }; ca: boolean; key?: KeyObject; caIssuers?: string; crl?: string }): Promise<Issued> {
  const key = o.key ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  // node's webcrypto CryptoKey is the DOM one @peculiar/x509 takes (archive.testing.ts casts the same way)
  const publicKey = createPublicKey(key).toCryptoKey(RSA, true, ['verify']) as unknown as CryptoKey;
  const signingKey = createPrivateKey(o.issuer.keyPem).toCryptoKey(RSA, false, ['sign']) as unknown as CryptoKey;
  const issuer = new x509.X509Certificate(o.issuer.certPem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `3${Date.now().toString(16)}${Math.floor(Math.random() * 4096).toString(16)}`, subject: o.subject, issuer: issuer.subject,
    notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 365 * 86_400_000),
    publicKey, signingKey, signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(o.ca, undefined, true),
      new x509.KeyUsagesExtension(o.ca ? KU.keyCertSign | KU.cRLSign : KU.digitalSignature | KU.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey),
      ...(o.caIssuers ? [new x509.AuthorityInfoAccessExtension({ caIssuers: o.caIssuers })] : []),
      ...(o.crl ? [new x509.CRLDistributionPointsExtension([o.crl])] : []),
    ],
  });
  return { der: new Uint8Array(cert.rawData), key };
}

type Answer = { body: Uint8Array; chunked?: boolean } | 'hang';

describe.skipIf(!needTool('openssl'))('a missing intermediate is fetched from the issuer\'s address (AIA caIssuers)', () => {
  let pki: TestPki;
  let ocsp: TestServer;
  let store: TrustStore;
  let server: Server;
  let base = '';
  const answers = new Map<string, Answer>();
  const requests = new Map<string, number>();
  /** A signer's certificate from the PKI's intermediate CA, whose issuer's address is `path` on the test server. */
  const leafAt = async (path: string) => issue({
    subject: `CN=Nguyễn Văn Lá ${path}, O=UBND tỉnh Thử Nghiệm, C=VN`, issuer: pki.intermediate, ca: false,
    caIssuers: path.startsWith('https:') ? path : `${base}${path}`, crl: `${base}/intermediate.crl`,
  });

  beforeAll(async () => {
    pki = await createTestPki();
    ocsp = await startTestOcsp(pki); // the intermediate's CRL, from the root
    store = await loadTrustStore({ pems: [pki.root.certPem] });
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      requests.set(path, (requests.get(path) ?? 0) + 1);
      const answer = answers.get(path);
      if (answer === 'hang') return; // never answers
      if (!answer) { res.writeHead(404).end(); return; }
      if (answer.chunked) { res.writeHead(200); res.write(answer.body); res.end(); return; }
      res.writeHead(200, { 'content-length': answer.body.length }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

    const intermediateKey = createPrivateKey(pki.intermediate.keyPem);
    const notCa = await issue({ subject: pki.intermediate.subject, issuer: pki.root, ca: false, key: intermediateKey });
    const otherKey = await issue({ subject: pki.intermediate.subject, issuer: pki.root, ca: true });
    const p7c = (form: 'DER' | 'PEM') => runOpenssl(['crl2pkcs7', '-nocrl', '-certfile', pki.intermediate.certPath, '-outform', form]);
    const big = new Uint8Array(AIA_MAX_BYTES + 1);
    for (const [path, body] of [
      ['/ca/intermediate.p7c', await p7c('DER')], ['/ca/intermediate-pem.p7c', await p7c('PEM')],
      ['/ca/intermediate.cer', pki.intermediate.certDer], ['/ca/intermediate-pem.crt', new TextEncoder().encode(pki.intermediate.certPem)],
      ['/intermediate.crl', pki.crl.intermediate], ['/ca/big.cer', big], ['/ca/garbage.cer', new TextEncoder().encode('<html>Không tìm thấy</html>')],
      ['/ca/not-ca.cer', notCa.der], ['/ca/other-key.cer', otherKey.der],
    ] as const) answers.set(path, { body });
    answers.set('/ca/big-chunked.cer', { body: big, chunked: true });
    answers.set('/ca/slow.cer', 'hang');
    answers.set('/ca/slow-remembered.cer', 'hang');
  }, 120_000);
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await ocsp?.close();
  });

  test.each([
    ['a certs-only CMS (.p7c, DER)', '/ca/intermediate.p7c'], ['a certs-only CMS in PEM', '/ca/intermediate-pem.p7c'],
    ['a DER certificate (.cer)', '/ca/intermediate.cer'], ['a PEM certificate (.crt)', '/ca/intermediate-pem.crt'],
  ])('a signature that embeds only its certificate is valid when the issuer\'s address serves %s, which is downloaded once', async (_, path) => {
    const leaf = await leafAt(path);
    const signer = createKeySigner({ privateKey: leaf.key, certificate: leaf.der, chain: [] });
    const signed = await signPdf(await makePdfLib(1), { signer });
    const cache = createRevocationCache();
    const before = requests.get(path) ?? 0;

    const report = await verifyPdf(signed, { trustStore: store, cache });
    const [sig] = report.signatures;
    expect(sig?.chain.map((c) => c.subject.split(', ').find((part) => part.startsWith('CN=')))).toEqual([`CN=Nguyễn Văn Lá ${path}`, 'CN=Vanthu Test CA phục vụ cơ quan Nhà nước', 'CN=Vanthu Test Root CA']);
    expect(sig?.checks.find((c) => c.name === 'chain')).toEqual({ name: 'chain', status: 'passed',
      message: `Chuỗi chứng thư tin cậy đến "Vanthu Test Root CA"; chứng thư CA "Vanthu Test CA phục vụ cơ quan Nhà nước" được tải từ địa chỉ của đơn vị cấp (${base}${path})` });
    expect([report.indication, sig?.indication]).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED']);
    // verified again with the same cache: the address is not asked again
    await verifyPdf(signed, { trustStore: store, cache });
    expect((requests.get(path) ?? 0) - before).toBe(1);

    // offline, nothing is fetched: the issuer stays unknown
    const offline = await verifyPdf(signed, { trustStore: store, offline: true });
    expect(offline.signatures[0]?.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect((requests.get(path) ?? 0) - before).toBe(1);
  });

  test.each([
    ['answers 404', '/ca/missing.cer', 'máy chủ trả lời HTTP 404'],
    ['sends more than 1 MiB (declared)', '/ca/big.cer', 'tệp lớn hơn 1 MiB'],
    ['sends more than 1 MiB (chunked)', '/ca/big-chunked.cer', 'tệp lớn hơn 1 MiB'],
    ['serves no certificate', '/ca/garbage.cer', 'không đọc được chứng thư trong tệp'],
    ['serves a certificate of the issuer\'s name and key that is not a CA', '/ca/not-ca.cer', '"Vanthu Test CA phục vụ cơ quan Nhà nước" không phải chứng thư CA'],
    ['serves a CA of the issuer\'s name whose key did not sign the certificate', '/ca/other-key.cer', 'khóa của "Vanthu Test CA phục vụ cơ quan Nhà nước" không kiểm được chữ ký trên chứng thư'],
    ['does not answer in time', '/ca/slow.cer', 'không trả lời trong 0,3 giây'],
    ['is an https address (caIssuers is fetched over http only)', 'https://127.0.0.1:9/ca/intermediate.cer', 'chỉ tải chứng thư CA qua http'],
  ])('when the issuer\'s address %s, the issuer stays unknown and the report says why', async (_, path, why) => {
    const leaf = await leafAt(path);
    const url = path.startsWith('https:') ? path : `${base}${path}`;
    const chain = await buildChain(parseCert(leaf.der), { store, pool: [], offline: false, cache: createRevocationCache(), timeoutMs: 300 });
    expect(chain).toMatchObject({ trusted: false, reason: 'issuer-not-found', problems: [{ url, problem: why }], fetched: [] });

    const signed = await signPdf(await makePdfLib(1), { signer: createKeySigner({ privateKey: leaf.key, certificate: leaf.der, chain: [] }) });
    const report = await verifyPdf(signed, { trustStore: store, cache: createRevocationCache(), timeoutMs: 300 });
    expect([report.indication, report.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    expect(report.signatures[0]?.checks.find((c) => c.name === 'chain')).toEqual({ name: 'chain', status: 'unknown',
      message: `Không xây dựng được chuỗi chứng thư đến chứng thư gốc tin cậy: không tìm thấy chứng thư của đơn vị cấp "${parseCert(leaf.der).issuer}"; không tải được từ địa chỉ của đơn vị cấp (${url}: ${why})` });
  });

  test('an issuer\'s address that failed is not asked again for 10 minutes: the next verification reports the same reason at once', async () => {
    const path = '/ca/slow-remembered.cer';
    const leaf = await leafAt(path);
    const signed = await signPdf(await makePdfLib(1), { signer: createKeySigner({ privateKey: leaf.key, certificate: leaf.der, chain: [] }) });
    let clock = Date.parse('2026-12-07T09:00:00Z'); // 16:00 in Vietnam
    const cache = createRevocationCache({ now: () => clock });
    const chainMessage = async () => {
      const started = Date.now();
      const report = await verifyPdf(signed, { trustStore: store, cache, timeoutMs: 300 });
      return { ms: Date.now() - started, message: report.signatures[0]?.checks.find((c) => c.name === 'chain')?.message, requests: requests.get(path) ?? 0 };
    };
    const unknownIssuer = `Không xây dựng được chuỗi chứng thư đến chứng thư gốc tin cậy: không tìm thấy chứng thư của đơn vị cấp "${parseCert(leaf.der).issuer}"; không tải được từ địa chỉ của đơn vị cấp`;

    const first = await chainMessage();
    expect(first).toMatchObject({ requests: 1, message: `${unknownIssuer} (${base}${path}: không trả lời trong 0,3 giây)` });
    expect(first.ms).toBeGreaterThanOrEqual(290);

    clock += AIA_FAILURE_MEMORY_MS - 1_000;
    const second = await chainMessage();
    expect(second).toMatchObject({ requests: 1, message: `${unknownIssuer} (${base}${path}: không trả lời trong 0,3 giây (lần tải trước lỗi, thử lại sau 16:10))` });
    expect(second.ms).toBeLessThan(first.ms);

    clock += 1_000; // the 10 minutes have passed: the address is asked again, and remembered anew
    expect(await chainMessage()).toMatchObject({ requests: 2, message: `${unknownIssuer} (${base}${path}: không trả lời trong 0,3 giây)` });
    expect(await chainMessage()).toMatchObject({ requests: 2, message: `${unknownIssuer} (${base}${path}: không trả lời trong 0,3 giây (lần tải trước lỗi, thử lại sau 16:20))` });
  });

  test('an address that answered with an unusable certificate is downloaded once; the certificate is judged again at once', async () => {
    const path = '/ca/not-ca.cer';
    const leaf = await leafAt(path);
    const cache = createRevocationCache();
    const before = requests.get(path) ?? 0;
    for (let i = 0; i < 2; i++) {
      const chain = await buildChain(parseCert(leaf.der), { store, pool: [], offline: false, cache, timeoutMs: 300 });
      expect(chain.problems).toEqual([{ url: `${base}${path}`, problem: '"Vanthu Test CA phục vụ cơ quan Nhà nước" không phải chứng thư CA' }]);
    }
    expect((requests.get(path) ?? 0) - before).toBe(1);
  });

  test('an issuer\'s address that never answers is given up after 5 seconds, whatever the verifier\'s own timeout', async () => {
    const leaf = await leafAt('/ca/slow.cer');
    const started = Date.now();
    const chain = await buildChain(parseCert(leaf.der), { store, pool: [], offline: false, cache: createRevocationCache(), timeoutMs: 60_000 });
    expect(chain.problems).toEqual([{ url: `${base}/ca/slow.cer`, problem: 'không trả lời trong 5 giây' }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 15_000);
});
