import 'reflect-metadata';
import { generateKeyPair, randomBytes, webcrypto, createPrivateKey, type KeyObject } from 'node:crypto';
import { execFile } from 'node:child_process';
import { link, mkdir, mkdtemp, readFile, rm, writeFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as x509 from '@peculiar/x509';
import { errorFactory } from '../../platform/errors.ts';

const genKeyPair = promisify(generateKeyPair);
const run = promisify(execFile);
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const certificateToolMissing = errorFactory({ code: 'certificates.openssl_missing', status: 500, message: 'Máy chủ chưa cài openssl nên không tạo được chứng thư số thử nghiệm.' });

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const DAY = 86_400_000;

/** The install's demo CA: its certificate and key (kept under DATA_DIR/demo-pki, created at first use). */
export type DemoCa = { certDer: Uint8Array; cert: x509.X509Certificate; key: KeyObject };

async function newKeys() {
  const { publicKey, privateKey } = await genKeyPair('rsa', { modulusLength: 2048 });
  // node's webcrypto types differ nominally from the DOM's that @peculiar/x509 declares: same objects.
  const pair = { publicKey: publicKey.toCryptoKey(ALG, true, ['verify']), privateKey: privateKey.toCryptoKey(ALG, true, ['sign']) } as unknown as CryptoKeyPair;
  return { privateKey, pair };
}

const serial = () => `1${randomBytes(9).toString('hex')}`;

/** Calls of ensureDemoCa still creating, per directory: a second call in the process waits for the first. */
const creating = new Map<string, Promise<DemoCa>>();

/**
 * Loads the per-install demo CA, creating it (RSA 2048, 10 years) on first use. Two callers never make two
 * CAs: in one process the second waits for the first (the demo job issuing certificates at start and a
 * request asking for the CA), and between processes the key file is created with link(2), which fails
 * when another process got there first — that one's CA is read. Before, both made a CA, and the key of one
 * could end up beside the certificate of the other: every demo signature «Chưa xác định» on that install.
 */
export async function ensureDemoCa(dataDir: string): Promise<DemoCa> {
  const dir = path.join(dataDir, 'demo-pki');
  const existing = await readDemoCa(dir);
  if (existing) return existing;
  const pending = creating.get(dir) ?? createDemoCa(dir).finally(() => creating.delete(dir));
  creating.set(dir, pending);
  return pending;
}

async function readDemoCa(dir: string): Promise<DemoCa | undefined> {
  try {
    const [certDer, keyPem] = await Promise.all([readFile(path.join(dir, 'ca.crt')), readFile(path.join(dir, 'ca.key'), 'utf8')]);
    return { certDer: new Uint8Array(certDer), cert: new x509.X509Certificate(certDer), key: createPrivateKey(keyPem) };
  } catch {
    return undefined;
  }
}

async function createDemoCa(dir: string): Promise<DemoCa> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(), name: 'CN=vanthu Demo CA (chỉ dùng thử nghiệm), O=vanthu, C=VN', notBefore: new Date(now - DAY), notAfter: new Date(now + 3650 * DAY),
    keys: keys.pair, signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.pair.publicKey)],
  });
  const certDer = new Uint8Array(cert.rawData);
  const [keyPath, certPath] = [path.join(dir, 'ca.key'), path.join(dir, 'ca.crt')];
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(`${keyPath}.${tag}`, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await writeFile(`${certPath}.${tag}`, certDer);
  try {
    // the key decides who made the CA: link(2) creates ca.key only if it does not exist yet
    await link(`${keyPath}.${tag}`, keyPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await Promise.all([unlink(`${keyPath}.${tag}`), unlink(`${certPath}.${tag}`)]);
    // the other process renames its certificate into place right after its key: wait for it
    for (let i = 0; i < 100; i++) {
      const theirs = await readDemoCa(dir);
      if (theirs) return theirs;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw error;
  }
  await unlink(`${keyPath}.${tag}`);
  await rename(`${certPath}.${tag}`, certPath);
  return { certDer, cert, key: keys.privateKey };
}

/**
 * Where demo certificates say their CRL is. The `.invalid` top-level domain never resolves: the
 * install's verifier answers this address itself (see verification.service.ts), so demo signatures
 * can be checked for revocation like real ones, without a network.
 */
export const DEMO_CRL_URL = 'http://demo-ca.vanthu.invalid/demo-ca.crl';

/** A fresh CRL of the demo CA (no revoked certificates; valid 7 days), DER. */
export async function issueDemoCrl(ca: DemoCa): Promise<Uint8Array> {
  const now = Date.now();
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cert.subject, thisUpdate: new Date(now - 3_600_000), nextUpdate: new Date(now + 7 * DAY),
    signingKey: ca.key.toCryptoKey(ALG, false, ['sign']) as unknown as CryptoKey, signingAlgorithm: ALG,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(await ca.cert.publicKey.export(ALG, ['verify']))],
  });
  return new Uint8Array(crl.rawData);
}

/** The install's demo timestamp authority: its certificate (issued by the demo CA) and key, DATA_DIR/demo-pki/tsa.*. */
export type DemoTsa = { certDer: Uint8Array; caDer: Uint8Array; key: KeyObject };

/**
 * Loads the demo TSA (DATA_DIR/demo-pki/tsa.pem: key + certificate), creating it on first use or when it has less than two years left (RSA 2048, 5 years but never past the CA;
 * extendedKeyUsage timeStamping, critical, as RFC 3161 §2.3 requires; CRL at DEMO_CRL_URL);
 * a restart or a second process reuses the same TSA.
 */
export async function ensureDemoTsa(dataDir: string): Promise<DemoTsa> {
  const ca = await ensureDemoCa(dataDir);
  const file = path.join(dataDir, 'demo-pki', 'tsa.pem');
  try {
    const pem = await readFile(file, 'utf8');
    const cert = new x509.X509Certificate(pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----')));
    // kept while it has two years left (the archive renews a timestamp a year, VANTHU_LTA_MARGIN_DAYS, before its TSA certificate ends), or as long as the CA allows
    const longEnough = cert.notAfter.getTime() > Date.now() + 730 * DAY || cert.notAfter.getTime() >= ca.cert.notAfter.getTime() - DAY;
    if (cert.issuer === ca.cert.subject && longEnough) return { certDer: new Uint8Array(cert.rawData), caDer: ca.certDer, key: createPrivateKey(pem) };
  } catch {
    // not created yet (or unreadable): issue a new one below
  }
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(), subject: 'CN=vanthu Demo TSA (chỉ dùng thử nghiệm), O=vanthu, C=VN', issuer: ca.cert.subject,
    notBefore: new Date(now - DAY), notAfter: new Date(Math.min(now + 1826 * DAY, ca.cert.notAfter.getTime())),
    publicKey: keys.pair.publicKey, signingKey: ca.key.toCryptoKey(ALG, false, ['sign']) as unknown as CryptoKey, signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], true),
      await x509.SubjectKeyIdentifierExtension.create(keys.pair.publicKey), await x509.AuthorityKeyIdentifierExtension.create(await ca.cert.publicKey.export(ALG, ['verify'])),
      new x509.CRLDistributionPointsExtension([DEMO_CRL_URL])],
  });
  // key and certificate in ONE file renamed into place: two processes never pair one's key with the other's certificate
  await writeFile(`${file}.${process.pid}.tmp`, `${keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string}${cert.toString('pem')}\n`, { mode: 0o600 });
  await rename(`${file}.${process.pid}.tmp`, file);
  return { certDer: new Uint8Array(cert.rawData), caDer: ca.certDer, key: keys.privateKey };
}

/** What issuing a demo certificate returns: the certificate and a PKCS#12 (key + cert + CA) under `password`. */
export type IssuedDemoCertificate = { certDer: Uint8Array; p12: Uint8Array; subject: string; serialHex: string; notBefore: Date; notAfter: Date };

/**
 * Issues an end-entity signing certificate (digitalSignature + nonRepudiation, 2 years) from the demo
 * CA and packs it as PKCS#12 with `openssl pkcs12 -export` (AES-256, PBES2). Throws certificates.openssl_missing.
 */
export async function issueDemoCertificate(ca: DemoCa, o: { commonName: string; title?: string; organization: string; password: string }): Promise<IssuedDemoCertificate> {
  const keys = await newKeys();
  const caPublic = await ca.cert.publicKey.export(ALG, ['verify']);
  const caSigning = ca.key.toCryptoKey(ALG, false, ['sign']) as unknown as CryptoKey;
  const clean = (s: string) => s.replace(/[,=+<>#;\\"]/g, ' ').trim();
  const subject = [`CN=${clean(o.commonName)}`, ...(o.title ? [`T=${clean(o.title)}`] : []), `O=${clean(o.organization)}`, 'C=VN'].join(', ');
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(), subject, issuer: ca.cert.subject, notBefore: new Date(now - DAY), notAfter: new Date(now + 730 * DAY),
    publicKey: keys.pair.publicKey, signingKey: caSigning, signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.pair.publicKey), await x509.AuthorityKeyIdentifierExtension.create(caPublic),
      new x509.CRLDistributionPointsExtension([DEMO_CRL_URL])],
  });
  const p12 = await exportPkcs12(keys.privateKey, cert.toString('pem'), ca.cert.toString('pem'), o.password);
  return { certDer: new Uint8Array(cert.rawData), p12, subject, serialHex: cert.serialNumber, notBefore: cert.notBefore, notAfter: cert.notAfter };
}

async function exportPkcs12(key: KeyObject, certPem: string, caPem: string, password: string): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join((await import('node:os')).tmpdir(), 'vanthu-p12-'));
  try {
    await writeFile(path.join(dir, 'key.pem'), key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await writeFile(path.join(dir, 'cert.pem'), certPem);
    await writeFile(path.join(dir, 'ca.pem'), caPem);
    const out = path.join(dir, 'out.p12');
    try {
      await run('openssl', ['pkcs12', '-export', '-inkey', 'key.pem', '-in', 'cert.pem', '-certfile', 'ca.pem', '-passout', 'env:VANTHU_P12_PASS', '-out', out],
        { cwd: dir, env: { ...process.env, VANTHU_P12_PASS: password }, timeout: 30_000 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw certificateToolMissing();
      throw error;
    }
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
