import 'reflect-metadata';
import { createPrivateKey, generateKeyPairSync, randomUUID, webcrypto } from 'node:crypto';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { startTestTsa, type TestPki, type TestServer } from '../signing/testing/pki.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as RsaHashedImportParams;

/**
 * Another real TSA of the test PKI whose certificate expires `days` from now, with an RSA key of
 * `rsaBits` (default 2048): a timeStamping certificate issued by the PKI's intermediate CA (listed as
 * good in its OCSP index), served by `openssl ts -reply` like the PKI's own TSA. Archived files
 * timestamped by a soon-expiring or short-key TSA fall due for renewal.
 */
export async function startExtraTsa(pki: TestPki, o: { days: number; rsaBits?: number }): Promise<TestServer & { notAfter: Date }> {
  const name = `tsa-${randomUUID().slice(0, 8)}`;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: o.rsaBits ?? 2048 });
  const keys = { publicKey: publicKey.toCryptoKey(RSA, true, ['verify']), privateKey: createPrivateKey(pki.intermediate.keyPem).toCryptoKey(RSA, false, ['sign']) } as CryptoKeyPair;
  const issuer = new x509.X509Certificate(pki.intermediate.certPem);
  const notAfter = new Date(Date.now() + o.days * 86_400_000);
  const subject = `CN=Vanthu TSA ${name}, O=Ban Thử Nghiệm, C=VN`;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `2${Date.now().toString(16)}`, subject, issuer: issuer.subject,
    notBefore: new Date(Date.now() - 86_400_000), notAfter,
    publicKey: keys.publicKey, signingKey: keys.privateKey, signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.8'], true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey),
      new x509.AuthorityInfoAccessExtension({ caIssuers: pki.urls.caIntermediate, ocsp: pki.urls.ocsp }),
      new x509.CRLDistributionPointsExtension([pki.urls.crlIntermediate]),
    ],
  });
  await writeFile(join(pki.dir, `${name}.pem`), cert.toString('pem') + '\n');
  await writeFile(join(pki.dir, `${name}.key`), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  await writeFile(join(pki.dir, `${name}.chain.pem`), pki.tsa.chainPem);
  await writeFile(join(pki.dir, `${name}.serial`), '01\n');
  const expiry = notAfter.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  await appendFile(pki.indexPath, ['V', expiry, '', cert.serialNumber.toUpperCase(), 'unknown', '/' + subject.split(/,\s*/).reverse().join('/')].join('\t') + '\n');
  const config = (await readFile(pki.tsaConfigPath, 'utf8')).replace(/\/tsa\.(pem|key|chain\.pem)/g, `/${name}.$1`).replace('$dir/tsaserial', `$dir/${name}.serial`);
  const tsaConfigPath = join(pki.dir, `${name}.cnf`);
  await writeFile(tsaConfigPath, config);
  return { ...(await startTestTsa({ ...pki, tsaConfigPath })), notAfter };
}
