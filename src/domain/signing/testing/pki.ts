import 'reflect-metadata';
import { generateKeyPair, webcrypto, type KeyObject } from 'node:crypto';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as x509 from '@peculiar/x509';
import { runOpenssl } from './pki-openssl.ts';

/**
 * A real test PKI for the signing and verification tests: root CA → intermediate CA → end-entity
 * certificates (leader, agency seal, ECDSA, RSA-PSS, expired, not-yet-valid, wrong key usage, revoked,
 * TSA, OCSP responder) plus a second, untrusted hierarchy. Keys come from OpenSSL (node:crypto),
 * certificates and CRLs from @peculiar/x509, PKCS#12 files from `openssl pkcs12 -export` (AES-256/PBES2,
 * its default). AIA and CRL distribution points point at http://127.0.0.1:<pki.port>, which
 * `startTestOcsp(pki)` (pki-servers.ts) serves.
 */

const genKeyPair = promisify(generateKeyPair);
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const TEST_PKI_PASSWORD = 'vanthu-test';

export type TestPkiRole =
  | 'root' | 'intermediate' | 'leader' | 'seal' | 'ecdsa' | 'rsaPss' | 'expired' | 'notYetValid'
  | 'wrongKeyUsage' | 'revoked' | 'tsa' | 'revokedTsa' | 'ocsp' | 'untrustedRoot' | 'untrusted';

/** One certificate of the test PKI with its key, in every form a test may want. */
export type TestPkiEntity = {
  role: TestPkiRole;
  subject: string;
  serialHex: string;
  keyType: 'RSA-2048' | 'RSA-3072' | 'ECDSA-P256';
  /** Preferred signature scheme for this signer ('RSA-PSS' only for the rsaPss role). */
  scheme: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';
  certPem: string;
  certDer: Uint8Array;
  keyPem: string;
  p12: Uint8Array;
  certPath: string;
  derPath: string;
  keyPath: string;
  p12Path: string;
  /** PEM of the issuing CA certificates, nearest first, without the trust anchor's own root when self-signed. */
  chainPem: string;
  notBefore: Date;
  notAfter: Date;
};

export type TestPki = Record<TestPkiRole, TestPkiEntity> & {
  dir: string;
  port: number;
  baseUrl: string;
  password: string;
  /** When the `revoked` certificate was revoked (also in the CRL and the OCSP index). */
  revokedAt: Date;
  urls: { ocsp: string; crlRoot: string; crlIntermediate: string; caRoot: string; caIntermediate: string };
  crl: { root: Uint8Array; intermediate: Uint8Array };
  /** openssl `ca`-style index of the intermediate CA, used by the OCSP responder. */
  indexPath: string;
  tsaConfigPath: string;
};

type KeySpec = TestPkiEntity['keyType'];
type Keys = { pair: CryptoKeyPair; privateKey: KeyObject };

const SIGN_ALG: Record<KeySpec, Algorithm | EcdsaParams> = {
  'RSA-2048': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm,
  'RSA-3072': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm,
  'ECDSA-P256': { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
};

async function makeKeys(spec: KeySpec): Promise<Keys> {
  const { publicKey, privateKey } = spec === 'ECDSA-P256'
    ? await genKeyPair('ec', { namedCurve: 'P-256' })
    : await genKeyPair('rsa', { modulusLength: spec === 'RSA-3072' ? 3072 : 2048 });
  const alg = spec === 'ECDSA-P256'
    ? { name: 'ECDSA', namedCurve: 'P-256' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const pair = {
    publicKey: publicKey.toCryptoKey(alg, true, ['verify']),
    privateKey: privateKey.toCryptoKey(alg, true, ['sign']),
  } as CryptoKeyPair;
  return { pair, privateKey };
}

/** Picks a free loopback port now, so the URLs baked into the certificates can be served later. */
export async function reservePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

type CertPlan = {
  role: TestPkiRole;
  subject: string;
  keyType: KeySpec;
  issuer?: TestPkiRole;
  ca?: boolean;
  usages: x509.KeyUsageFlags;
  eku?: { oids: string[]; critical: boolean };
  notBefore: Date;
  notAfter: Date;
  aia?: boolean;
  ocspNoCheck?: boolean;
};

const DAY = 86_400_000;
const KU = x509.KeyUsageFlags;
const ORG = 'O=UBND tỉnh Thử Nghiệm, C=VN';

function plans(now: number): CertPlan[] {
  const valid = { notBefore: new Date(now - 30 * DAY), notAfter: new Date(now + 730 * DAY) };
  const sig = KU.digitalSignature | KU.nonRepudiation;
  const caUse = KU.keyCertSign | KU.cRLSign;
  return [
    { role: 'root', subject: 'CN=Vanthu Test Root CA, O=Ban Thử Nghiệm, C=VN', keyType: 'RSA-2048', ca: true, usages: caUse, notBefore: new Date(now - 365 * DAY), notAfter: new Date(now + 3650 * DAY) },
    { role: 'intermediate', subject: 'CN=Vanthu Test CA phục vụ cơ quan Nhà nước, O=Ban Thử Nghiệm, C=VN', keyType: 'RSA-2048', issuer: 'root', ca: true, usages: caUse, aia: true, notBefore: new Date(now - 300 * DAY), notAfter: new Date(now + 3000 * DAY) },
    { role: 'leader', subject: `CN=Nguyễn Văn An, T=Chủ tịch, ${ORG}`, keyType: 'RSA-2048', issuer: 'intermediate', usages: sig, aia: true, ...valid },
    { role: 'seal', subject: `CN=UBND tỉnh Thử Nghiệm, ${ORG}`, keyType: 'RSA-3072', issuer: 'intermediate', usages: sig, aia: true, ...valid },
    { role: 'ecdsa', subject: `CN=Trần Thị Bình, ${ORG}`, keyType: 'ECDSA-P256', issuer: 'intermediate', usages: sig, aia: true, ...valid },
    { role: 'rsaPss', subject: `CN=Lê Văn Cường, ${ORG}`, keyType: 'RSA-2048', issuer: 'intermediate', usages: sig, aia: true, ...valid },
    { role: 'expired', subject: `CN=Phạm Hết Hạn, ${ORG}`, keyType: 'RSA-2048', issuer: 'intermediate', usages: sig, aia: true, notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 35 * DAY) },
    { role: 'notYetValid', subject: `CN=Hoàng Chưa Hiệu Lực, ${ORG}`, keyType: 'RSA-2048', issuer: 'intermediate', usages: sig, aia: true, notBefore: new Date(now + 30 * DAY), notAfter: new Date(now + 400 * DAY) },
    { role: 'wrongKeyUsage', subject: `CN=Vũ Sai Mục Đích, ${ORG}`, keyType: 'RSA-2048', issuer: 'intermediate', usages: KU.keyEncipherment, aia: true, ...valid },
    { role: 'revoked', subject: `CN=Đỗ Đã Thu Hồi, ${ORG}`, keyType: 'RSA-2048', issuer: 'intermediate', usages: sig, aia: true, ...valid },
    { role: 'tsa', subject: 'CN=Vanthu Test TSA, O=Ban Thử Nghiệm, C=VN', keyType: 'RSA-2048', issuer: 'intermediate', usages: sig, eku: { oids: ['1.3.6.1.5.5.7.3.8'], critical: true }, aia: true, ...valid },
    { role: 'revokedTsa', subject: 'CN=Vanthu Revoked TSA, O=Ban Thử Nghiệm, C=VN', keyType: 'RSA-2048', issuer: 'intermediate', usages: sig, eku: { oids: ['1.3.6.1.5.5.7.3.8'], critical: true }, aia: true, ...valid },
    { role: 'ocsp', subject: 'CN=Vanthu Test OCSP Responder, O=Ban Thử Nghiệm, C=VN', keyType: 'RSA-2048', issuer: 'intermediate', usages: KU.digitalSignature, eku: { oids: ['1.3.6.1.5.5.7.3.9'], critical: false }, ocspNoCheck: true, ...valid },
    { role: 'untrustedRoot', subject: 'CN=Untrusted Root CA, O=Nobody, C=VN', keyType: 'RSA-2048', ca: true, usages: caUse, notBefore: new Date(now - 365 * DAY), notAfter: new Date(now + 3650 * DAY) },
    { role: 'untrusted', subject: 'CN=Người Lạ, O=Nobody, C=VN', keyType: 'RSA-2048', issuer: 'untrustedRoot', usages: sig, ...valid },
  ];
}

function serialFor(index: number): string {
  // Positive, unique, non-trivial serials (leading 0x1x nibble keeps the INTEGER positive).
  return `1${index.toString(16).padStart(3, '0')}${Date.now().toString(16)}`;
}

async function extensionsFor(plan: CertPlan, keys: Keys, issuerKeys: Keys | undefined, baseUrl: string) {
  const ext: x509.Extension[] = [
    new x509.BasicConstraintsExtension(plan.ca === true, undefined, true),
    new x509.KeyUsagesExtension(plan.usages, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.pair.publicKey),
  ];
  if (issuerKeys) ext.push(await x509.AuthorityKeyIdentifierExtension.create(issuerKeys.pair.publicKey));
  if (plan.eku) ext.push(new x509.ExtendedKeyUsageExtension(plan.eku.oids, plan.eku.critical));
  if (plan.ocspNoCheck) ext.push(new x509.Extension('1.3.6.1.5.5.7.48.1.5', false, new Uint8Array([5, 0])));
  if (plan.aia && plan.issuer) {
    const fromRoot = plan.issuer === 'root';
    ext.push(new x509.AuthorityInfoAccessExtension({
      caIssuers: `${baseUrl}/ca/${plan.issuer}.crt`,
      ...(fromRoot ? {} : { ocsp: `${baseUrl}/ocsp` }),
    }));
    ext.push(new x509.CRLDistributionPointsExtension([`${baseUrl}/crl/${plan.issuer}.crl`]));
  }
  return ext;
}

function toPem(der: ArrayBuffer | Uint8Array, label: string): string {
  const b64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;
}

type Built = { plan: CertPlan; keys: Keys; cert: x509.X509Certificate; serialHex: string };

async function issueAll(list: CertPlan[], baseUrl: string): Promise<Map<TestPkiRole, Built>> {
  const keyList = await Promise.all(list.map((p) => makeKeys(p.keyType)));
  const built = new Map<TestPkiRole, Built>();
  for (const [i, plan] of list.entries()) {
    const keys = keyList[i];
    if (!keys) throw new Error('key generation failed');
    const issuer = plan.issuer ? built.get(plan.issuer) : undefined;
    const serialHex = serialFor(i);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialHex,
      subject: plan.subject,
      issuer: issuer ? issuer.cert.subject : plan.subject,
      notBefore: plan.notBefore,
      notAfter: plan.notAfter,
      publicKey: keys.pair.publicKey,
      signingKey: (issuer ?? { keys }).keys.pair.privateKey,
      signingAlgorithm: SIGN_ALG[(issuer ?? { plan }).plan.keyType],
      extensions: await extensionsFor(plan, keys, issuer?.keys, baseUrl),
    });
    built.set(plan.role, { plan, keys, cert, serialHex: cert.serialNumber.toUpperCase() });
  }
  return built;
}

function chainOf(built: Map<TestPkiRole, Built>, role: TestPkiRole): string {
  const out: string[] = [];
  let cur = built.get(role)?.plan.issuer;
  while (cur) {
    const b = built.get(cur);
    if (!b) break;
    out.push(b.cert.toString('pem') + '\n');
    cur = b.plan.issuer;
  }
  return out.join('');
}

async function writeEntity(dir: string, b: Built, chainPem: string): Promise<TestPkiEntity> {
  const role = b.plan.role;
  const certPem = b.cert.toString('pem') + '\n';
  const certDer = new Uint8Array(b.cert.rawData);
  const keyPem = b.keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const paths = {
    certPath: join(dir, `${role}.pem`), derPath: join(dir, `${role}.der`),
    keyPath: join(dir, `${role}.key`), p12Path: join(dir, `${role}.p12`), chain: join(dir, `${role}.chain.pem`),
  };
  await Promise.all([
    writeFile(paths.certPath, certPem), writeFile(paths.derPath, certDer),
    writeFile(paths.keyPath, keyPem, { mode: 0o600 }), writeFile(paths.chain, chainPem || certPem),
  ]);
  await runOpenssl(['pkcs12', '-export', '-inkey', paths.keyPath, '-in', paths.certPath,
    ...(chainPem ? ['-certfile', paths.chain] : []), '-name', role, '-passout', `pass:${TEST_PKI_PASSWORD}`, '-out', paths.p12Path]);
  const p12 = new Uint8Array(await readFile(paths.p12Path));
  return {
    role, subject: b.plan.subject, serialHex: b.serialHex, keyType: b.plan.keyType,
    scheme: role === 'rsaPss' ? 'RSA-PSS' : b.plan.keyType === 'ECDSA-P256' ? 'ECDSA' : 'RSASSA-PKCS1-v1_5',
    certPem, certDer, keyPem, p12, certPath: paths.certPath, derPath: paths.derPath, keyPath: paths.keyPath,
    p12Path: paths.p12Path, chainPem, notBefore: b.plan.notBefore, notAfter: b.plan.notAfter,
  };
}

async function makeCrl(issuer: Built, now: number, entries: x509.X509CrlEntryParams[]): Promise<Uint8Array> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.cert.subject,
    thisUpdate: new Date(now - 60_000),
    nextUpdate: new Date(now + 7 * DAY),
    entries,
    signingKey: issuer.keys.pair.privateKey,
    signingAlgorithm: SIGN_ALG[issuer.plan.keyType],
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.pair.publicKey)],
  });
  return new Uint8Array(crl.rawData);
}

function opensslTime(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

function indexLines(built: Map<TestPkiRole, Built>, revokedAt: Date): string {
  const lines: string[] = [];
  for (const b of built.values()) {
    if (b.plan.issuer !== 'intermediate') continue;
    const exp = opensslTime(b.plan.notAfter);
    const dn = '/' + b.cert.subject.split(/,\s*/).reverse().join('/');
    const revoked = b.plan.role === 'revoked' || b.plan.role === 'revokedTsa';
    lines.push([revoked ? 'R' : 'V', exp, revoked ? `${opensslTime(revokedAt)},keyCompromise` : '', b.serialHex, 'unknown', dn].join('\t'));
  }
  return lines.join('\n') + '\n';
}

function tsaConfig(dir: string, signer = 'tsa'): string {
  return `[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = ${dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/${signer}.pem
certs = $dir/${signer}.chain.pem
signer_key = $dir/${signer}.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5.6
digests = sha1, sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
}

/**
 * Builds a fresh test PKI in `dir` (default: a new temp folder). Takes about 1–2 s (RSA key generation).
 * Options: `port` (where AIA/CRL/OCSP URLs point; default a free loopback port), `revokedAt`
 * (default: one day ago), `now` (default: the current time).
 */
export async function createTestPki(dir?: string, options: { port?: number; revokedAt?: Date; now?: Date } = {}): Promise<TestPki> {
  const root = dir ?? await mkdtemp(join(tmpdir(), 'vanthu-pki-'));
  await mkdir(root, { recursive: true });
  const now = (options.now ?? new Date()).getTime();
  const port = options.port ?? await reservePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const revokedAt = options.revokedAt ?? new Date(now - DAY);
  const built = await issueAll(plans(now), baseUrl);
  const entities = {} as Record<TestPkiRole, TestPkiEntity>;
  await Promise.all([...built.values()].map(async (b) => {
    entities[b.plan.role] = await writeEntity(root, b, chainOf(built, b.plan.role));
  }));
  const get = (r: TestPkiRole): Built => {
    const b = built.get(r);
    if (!b) throw new Error(`missing ${r}`);
    return b;
  };
  const crl = {
    root: await makeCrl(get('root'), now, []),
    intermediate: await makeCrl(get('intermediate'), now, (['revoked', 'revokedTsa'] as const).map((r) => ({ serialNumber: get(r).serialHex, revocationDate: revokedAt, reason: x509.X509CrlReason.keyCompromise }))),
  };
  const indexPath = join(root, 'index.txt');
  const tsaConfigPath = join(root, 'tsa.cnf');
  await Promise.all([
    writeFile(join(root, 'root.crl'), crl.root), writeFile(join(root, 'intermediate.crl'), crl.intermediate),
    writeFile(indexPath, indexLines(built, revokedAt)), writeFile(join(root, 'index.txt.attr'), 'unique_subject = no\n'),
    writeFile(tsaConfigPath, tsaConfig(root)), writeFile(join(root, 'tsaserial'), '01\n'),
    writeFile(join(root, 'tsa-revoked.cnf'), tsaConfig(root, 'revokedTsa')),
  ]);
  return {
    ...entities, dir: root, port, baseUrl, password: TEST_PKI_PASSWORD, revokedAt, crl, indexPath, tsaConfigPath,
    urls: {
      ocsp: `${baseUrl}/ocsp`, crlRoot: `${baseUrl}/crl/root.crl`, crlIntermediate: `${baseUrl}/crl/intermediate.crl`,
      caRoot: `${baseUrl}/ca/root.crt`, caIntermediate: `${baseUrl}/ca/intermediate.crt`,
    },
  };
}

/** When a certificate of createTestHierarchy is valid. */
export type TestValidity = { notBefore: Date; notAfter: Date };

/**
 * A small hierarchy of its own, root → intermediate → leader and seal (the same holder names as the main
 * test PKI), whose CAs' validity the test chooses: e.g. an intermediate that expired, or is not valid yet,
 * while the leaf is — what a CA's own dates do to a chain. The leaves are valid; no AIA, CRL or OCSP.
 * `name` tells its CAs apart from the main PKI's («Vanthu Test Root CA <name>»).
 */
export async function createTestHierarchy(name: string, validity: { root?: TestValidity; intermediate?: TestValidity } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'vanthu-pki-hierarchy-'));
  const now = Date.now();
  const main = new Map(plans(now).map((p) => [p.role, p]));
  const plan = (role: 'root' | 'intermediate' | 'leader' | 'seal', change: Partial<CertPlan>): CertPlan => ({ ...main.get(role)!, aia: false, ...change });
  const list = [
    plan('root', { subject: `CN=Vanthu Test Root CA ${name}, O=Ban Thử Nghiệm, C=VN`, ...validity.root }),
    plan('intermediate', { subject: `CN=Vanthu Test CA ${name}, O=Ban Thử Nghiệm, C=VN`, ...validity.intermediate }),
    plan('leader', {}), plan('seal', { keyType: 'RSA-2048' }),
  ];
  const built = await issueAll(list, 'http://127.0.0.1:9');
  const [root, intermediate, leader, seal] = await Promise.all(list.map((p) => writeEntity(dir, built.get(p.role)!, chainOf(built, p.role))));
  return { dir, password: TEST_PKI_PASSWORD, root: root!, intermediate: intermediate!, leader: leader!, seal: seal! };
}

export { toPem };
export { startTestOcsp, startTestTsa, type TestServer } from './pki-servers.ts';
