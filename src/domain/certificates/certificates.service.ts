import { randomBytes, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { DB, Db } from '../../platform/db/client.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { recordBlob } from '../../platform/blobs/blobs.ts';
import { audit, auditActorOf, SYSTEM_ACTOR } from '../../platform/audit/audit.ts';
import { errorFactory, isAppError } from '../../platform/errors.ts';
import { authorize } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';
import { createKeySigner, loadPkcs12, type Signer } from '../signing/keys.ts';
import { requireTransparent } from '../signing/appearance/appearance.presets.ts';
import { formatVnDate } from '../signing/appearance/appearance.time.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { certificatesRepo } from './certificates.repository.ts';
import { findUsersByIds } from '../users/users.directory.ts';
import { commonNameOf, isCertificateOfUser } from './certificates.names.ts';
import { ensureDemoCa, issueDemoCertificate } from './certificates.pki.ts';
import { openSecret, sealSecret } from './certificates.secrets.ts';
import { chainToEmbed, issuersToEmbed, orderIssuerChain, readCertificateFile, requireChainValidAt } from './certificates.chain.ts';

/** The PIN of every demo leader's server-held PKCS#12 (demo mode only; shown on the signing dialog). */
export const DEMO_SIGNING_PIN = '123456';

export const noPersonalCertificate = errorFactory({ code: 'certificates.no_personal', status: 409, message: 'Bạn chưa có chứng thư số cá nhân lưu trên máy chủ. Hãy ký qua ứng dụng ký số trên máy tính (ký số từ xa / USB token).' });
export const noSealCertificate = errorFactory({ code: 'certificates.no_seal', status: 409, message: 'Cơ quan chưa có chứng thư số (con dấu số) nên chưa phát hành được văn bản. Quản trị cơ quan cài đặt tệp chứng thư số tại Quản trị cơ quan › Chứng thư số.' });
export const badCertificate = errorFactory({ code: 'certificates.invalid', status: 400, message: 'Chứng thư số không hợp lệ.' });
export const expiredCertificate = errorFactory({ code: 'certificates.expired', status: 400, message: 'Chứng thư số đã hết hạn hoặc chưa đến ngày có hiệu lực.' });
export const certificateNameMismatch = errorFactory({ code: 'certificates.name_mismatch', status: 409, message: 'Tên trên chứng thư số khác tên người dùng.' });

const FIXTURES = new URL('../signing/appearance/fixtures/', import.meta.url);
const loadFixture = (name: string) => readFile(new URL(name, FIXTURES)).then((b) => new Uint8Array(b));

async function storeBlob(deps: AppDeps, db: Db, bytes: Uint8Array, contentType: string) {
  const stored = await deps.blobs.put(bytes);
  await recordBlob(db, { ...stored, contentType });
  return stored.sha256;
}

/**
 * Demo mode: gives the agency a seal certificate and each leader / unit head a personal one (PIN
 * DEMO_SIGNING_PIN), issued by the install's demo CA, with the sample signature and seal images.
 * Does nothing outside demo mode or when everything exists. Throws certificates.openssl_missing.
 */
export async function ensureDemoCertificates(deps: AppDeps, agencyId: string): Promise<void> {
  if (!deps.config.demo) return;
  const [seal, missing] = await Promise.all([certificatesRepo.activeSeal(deps.db, agencyId), certificatesRepo.signersWithoutCertificate(deps.db, agencyId)]);
  if (seal && missing.length === 0) return;
  await deps.db.transaction().execute(async (tx) => {
    await certificatesRepo.lockAgency(tx, agencyId);
    const agency = await certificatesRepo.agency(tx, agencyId);
    if (!agency) return;
    const ca = await ensureDemoCa(deps.config.dataDir);
    if (!(await certificatesRepo.activeSeal(tx, agencyId))) {
      const secret = randomBytes(18).toString('base64url');
      const issued = await issueDemoCertificate(ca, { commonName: agency.name, organization: agency.name, password: secret });
      await saveCertificate(deps, tx, { agencyId, purpose: 'seal', userId: null, issued, chain: [ca.certDer], p12Secret: await sealSecret(deps.config.dataDir, secret), image: await loadFixture('seal-red-36mm.png') });
    }
    for (const user of await certificatesRepo.signersWithoutCertificate(tx, agencyId)) {
      const issued = await issueDemoCertificate(ca, { commonName: user.fullName, title: user.position, organization: agency.name, password: DEMO_SIGNING_PIN });
      await saveCertificate(deps, tx, { agencyId, purpose: 'personal', userId: user.id, issued, chain: [ca.certDer], p12Secret: null, image: await loadFixture('signature-blue.png') });
    }
  });
}

type SaveCert = {
  agencyId: string; purpose: 'seal' | 'personal'; userId: string | null; chain: Uint8Array[]; p12Secret: string | null; image: Uint8Array | null;
  issued: { certDer: Uint8Array; p12: Uint8Array | null; subject: string; serialHex: string; notBefore: Date; notAfter: Date };
};

async function saveCertificate(deps: AppDeps, tx: Db, o: SaveCert, actor = SYSTEM_ACTOR) {
  await certificatesRepo.deactivate(tx, { agencyId: o.agencyId, purpose: o.purpose, userId: o.userId });
  const row = await certificatesRepo.insert(tx, {
    agencyId: o.agencyId, purpose: o.purpose, userId: o.userId, subject: o.issued.subject, serialHex: o.issued.serialHex,
    notBefore: o.issued.notBefore, notAfter: o.issued.notAfter, certDer: Buffer.from(o.issued.certDer), chainDer: o.chain.map((c) => Buffer.from(c)),
    p12Sha256: o.issued.p12 ? await storeBlob(deps, tx, o.issued.p12, 'application/x-pkcs12') : null, p12Secret: o.p12Secret,
    imageSha256: o.image ? await storeBlob(deps, tx, o.image, 'image/png') : null,
  });
  await audit(tx, { ...actor, agencyId: o.agencyId }, { type: 'CERTIFICATE_CREATED', entityType: 'certificate', entityId: row.id, agencyId: o.agencyId, data: { purpose: o.purpose, userId: o.userId, subject: o.issued.subject, serial: o.issued.serialHex } });
  return row;
}

/** Whole days (Vietnam calendar days) from `now` to the day the certificate ends; 0 on its last day, negative after it. */
export function daysUntilExpiry(notAfter: Date, now: Date): number {
  return Math.round((Date.parse(vietnamDay(notAfter)) - Date.parse(vietnamDay(now))) / 86_400_000);
}

/** How a certificate's end shows on a page: its date, whether it has passed, and the Vietnam calendar days left (daysUntilExpiry). */
export function validityOf(notAfter: Date, now = new Date()) {
  return { notAfter, isExpired: now > notAfter, daysLeft: daysUntilExpiry(notAfter, now) };
}

/**
 * The validity of the agency's active seal certificate (validityOf, and its start), for the clerk before issuing —
 * issuing refuses it once expired or while not yet valid (certificates.expired); null when none is installed. The
 * caller checks the actor may issue.
 */
export async function sealValidity(db: Db, agencyId: string, now = new Date()) {
  const row = await certificatesRepo.activeSeal(db, agencyId);
  return row ? { ...validityOf(row.notAfter, now), notBefore: row.notBefore, isNotYetValid: now < row.notBefore } : null;
}

/**
 * Refuses, before anything is signed, a registered certificate outside its validity at `now` (a
 * certificate checked when registered expires later: signing with it would make a signature no reader
 * accepts). The message names the certificate and its end date. Throws certificates.expired.
 */
export function requireCertificateValidNow(row: { subject: string; notBefore: Date; notAfter: Date; purpose: 'seal' | 'personal' }, now = new Date()) {
  if (now >= row.notBefore && now <= row.notAfter) return;
  const what = `${row.purpose === 'seal' ? 'Chứng thư số của cơ quan' : 'Chứng thư số'} «${commonNameOf(row.subject) || row.subject}»`;
  const notYet = now < row.notBefore;
  const when = notYet ? `chỉ có hiệu lực từ ngày ${formatVnDate(row.notBefore)}` : `hết hạn ngày ${formatVnDate(row.notAfter)}`;
  throw expiredCertificate({ purpose: row.purpose, subject: row.subject, notBefore: row.notBefore.toISOString(), notAfter: row.notAfter.toISOString() }, {
    message: `${what} ${when}: không dùng để ${row.purpose === 'seal' ? 'phát hành văn bản' : 'ký'} được. Liên hệ quản trị để đăng ký chứng thư mới.`,
  });
}

/** A signer plus the image its signature shows. */
export type SignerWithImage = { signer: Signer; image: Uint8Array | null; subject: string };

/**
 * Opens a user's server-held personal PKCS#12 with their PIN (demo mode; production uses external signing).
 * Throws certificates.no_personal, certificates.expired, signing.p12_bad_password, signing.p12_invalid.
 */
export async function openPersonalSigner(deps: AppDeps, userId: string, pin: string): Promise<SignerWithImage> {
  const row = await certificatesRepo.activePersonal(deps.db, userId);
  if (!row?.p12Sha256) throw noPersonalCertificate();
  requireCertificateValidNow({ ...row, purpose: 'personal' });
  const content = await loadPkcs12(await deps.blobs.get(row.p12Sha256), pin);
  // The chain registered with the certificate (checked link by link) wins over whatever the PKCS#12 happens to carry.
  const chain = row.chainDer.length > 0 ? chainToEmbed(row.chainDer.map((c) => new Uint8Array(c))) : content.chain;
  return { signer: createKeySigner({ ...content, chain }), image: row.imageSha256 ? await deps.blobs.get(row.imageSha256) : null, subject: row.subject };
}

/**
 * The agency's seal signer (server-held PKCS#12, password kept encrypted); its signatures embed the
 * intermediate CAs of the stored chain, in order, without the root — as a leader's do (a seal installed
 * before the chain was checked has it as its file had it: what does not link is left out). Throws certificates.no_seal, certificates.expired.
 */
export async function openSealSigner(deps: AppDeps, agencyId: string): Promise<SignerWithImage> {
  const row = await certificatesRepo.activeSeal(deps.db, agencyId);
  if (!row?.p12Sha256 || !row.p12Secret) throw noSealCertificate();
  requireCertificateValidNow({ ...row, purpose: 'seal' });
  const content = await loadPkcs12(await deps.blobs.get(row.p12Sha256), await openSecret(deps.config.dataDir, row.p12Secret));
  const chain = issuersToEmbed(content.certificate, row.chainDer.map((c) => new Uint8Array(c)));
  return { signer: createKeySigner({ ...content, chain }), image: row.imageSha256 ? await deps.blobs.get(row.imageSha256) : null, subject: row.subject };
}

/**
 * A user's registered personal certificate (for external signing), the chain its signatures embed
 * (intermediate CAs, no root) and the signature image. Throws certificates.no_personal.
 */
export async function personalCertificate(deps: AppDeps, userId: string) {
  const row = await certificatesRepo.activePersonal(deps.db, userId);
  if (!row) throw noPersonalCertificate();
  return { subject: row.subject, notBefore: row.notBefore, notAfter: row.notAfter, certDer: new Uint8Array(row.certDer), chain: chainToEmbed(row.chainDer.map((c) => new Uint8Array(c))), image: row.imageSha256 ? await deps.blobs.get(row.imageSha256) : null, hasServerKey: !!row.p12Sha256 };
}

/**
 * The agency's certificates, for the admin page, each with the names of its issuing CAs (nearest first),
 * whether it has expired and the Vietnam calendar days to its end (daysUntilExpiry). Throws forbidden.
 */
export async function listCertificates(c: { db: Db; actor: Actor }) {
  authorize(c.actor, 'certificate.manage', { agencyId: c.actor.agencyId });
  const now = new Date();
  return (await certificatesRepo.listByAgency(c.db, c.actor.agencyId)).map(({ p12Sha256, imageSha256, chainDer, ...r }) => ({
    ...r, isServerHeld: !!p12Sha256, hasImage: !!imageSha256, issuers: chainDer.map((der) => commonNameOf(new X509Certificate(der).subject)),
    ...validityOf(r.notAfter, now),
  }));
}

/** Refuses a certificate whose CN does not name the user (a «Nguyễn Văn An» certificate for «Trần Văn Minh»). Throws certificates.name_mismatch. */
function requireHolderName(subject: string, fullName: string) {
  const certificateName = commonNameOf(subject);
  if (isCertificateOfUser(certificateName, fullName)) return;
  throw certificateNameMismatch({ certificateName, userFullName: fullName }, {
    message: `Chứng thư số này cấp cho «${certificateName || 'không ghi tên'}», không phải «${fullName}». Kiểm tra lại tệp và người ký đã chọn; nếu đúng là chứng thư của người này (ví dụ tên trên chứng thư viết khác), chọn «Vẫn đăng ký».`,
  });
}

/** The one certificate of a set that issued none of the others (a holder's, not a CA's). Throws certificates.invalid. */
function pickLeaf(certs: Uint8Array[]): Uint8Array {
  const parsed = certs.map((der) => ({ der, x: new X509Certificate(der) }));
  const leaves = parsed.filter((c) => !parsed.some((o) => o !== c && o.x.issuer === c.x.subject && o.x.subject !== c.x.subject));
  const holders = leaves.length > 1 ? leaves.filter((c) => !c.x.ca) : leaves;
  const [leaf, other] = holders;
  if (!leaf || other) throw badCertificate({ count: holders.length }, { message: 'Tệp có nhiều chứng thư số của nhiều người: hãy chọn tệp chỉ có chứng thư số của người ký (và chuỗi chứng thư của tổ chức cấp).' });
  return leaf.der;
}

/**
 * The holder's certificate and its ordered issuer chain from what the admin uploaded: the certificate file
 * (DER or PEM .cer/.crt, a PEM bundle or a .p7b with the chain, or a PKCS#12 opened with `password` whose
 * private key is not kept) plus an optional file of the issuing CAs (.p7b, .pem, .cer, .crt).
 * Throws certificates.invalid, certificates.chain_broken, signing.p12_bad_password.
 */
async function readPersonalUpload(file: Uint8Array, chainFile: Uint8Array | undefined, password: string | undefined) {
  let certs = readCertificateFile(file);
  let leaf: Uint8Array;
  if (certs.length > 0) leaf = pickLeaf(certs);
  else {
    const content = await loadPkcs12(file, password ?? '').catch((error: unknown) => {
      throw isAppError(error, 'signing.p12_invalid') ? badCertificate(undefined, { cause: error }) : error;
    });
    leaf = content.certificate;
    certs = content.chain;
  }
  const issuers = chainFile ? readCertificateFile(chainFile) : [];
  if (chainFile && issuers.length === 0) throw badCertificate({ field: 'chain' }, { message: 'Không đọc được tệp chuỗi chứng thư: hãy chọn tệp .p7b, .pem, .cer hoặc .crt do tổ chức chứng thực cung cấp.' });
  return { leaf, chain: orderIssuerChain(leaf, [...certs, ...issuers]) };
}

/**
 * The seal's certificate and its issuer chain from the agency's PKCS#12: the CA certificates the file
 * holds, checked link by link and put in order as a personal certificate's are (any order in the file).
 * Throws signing.p12_bad_password, signing.p12_invalid, certificates.chain_broken.
 */
async function readSealUpload(p12: Uint8Array, password: string) {
  const content = await loadPkcs12(p12, password);
  return { leaf: content.certificate, chain: orderIssuerChain(content.certificate, content.chain) };
}

/**
 * Admin: installs the agency's seal PKCS#12 (kept by the server, password encrypted) with its seal
 * image, or registers a user's personal certificate (no key: that user signs externally) with the chain
 * of its issuing CAs and their signature image. A personal certificate's chain comes with the certificate
 * file (PEM bundle, .p7b, PKCS#12) or in `chainFile`, the seal's in its PKCS#12; each link is checked by
 * signature and the chain is stored in order, so every signature made with the certificate embeds the
 * intermediate CAs. The images are checked here (PNG with a transparent background, as ND 30 Phụ lục I
 * asks), not at the first issue; a certificate outside its validity is refused (certificates.expired), so
 * is a chain with a CA certificate outside its own (certificates.chain_expired), and a personal one whose
 * CN does not hold the user's full name unless the admin confirms it (confirmNameMismatch).
 * Throws forbidden, certificates.invalid, certificates.expired, certificates.name_mismatch, certificates.chain_broken,
 * certificates.chain_expired, signing.p12_bad_password, signing.p12_invalid, signing.image_invalid, signing.image_not_transparent.
 */
export async function installCertificate(c: { deps: AppDeps; db: Kysely<DB>; actor: Actor; ip?: string } & (
  { purpose: 'seal'; p12: Uint8Array; password: string; image: Uint8Array | null }
  | { purpose: 'personal'; userId: string; certDer: Uint8Array; chainFile?: Uint8Array; password?: string; image: Uint8Array | null; confirmNameMismatch?: boolean })) {
  authorize(c.actor, 'certificate.manage', { agencyId: c.actor.agencyId });
  const content = c.purpose === 'seal' ? await readSealUpload(c.p12, c.password) : await readPersonalUpload(c.certDer, c.chainFile, c.password);
  const der = content.leaf;
  let x: X509Certificate;
  try {
    x = new X509Certificate(der);
  } catch {
    throw badCertificate();
  }
  const now = new Date();
  const [from, to] = [new Date(x.validFrom), new Date(x.validTo)];
  if (now < from || now > to) {
    throw expiredCertificate({ notBefore: from.toISOString(), notAfter: to.toISOString() }, { message: `Chứng thư số chỉ có hiệu lực từ ${formatVnDate(from)} đến ${formatVnDate(to)}: không dùng để ký hôm nay được.` });
  }
  requireChainValidAt(content.chain, now);
  if (c.image) requireTransparent(c.image, c.purpose === 'seal' ? 'con dấu' : 'chữ ký');
  return c.db.transaction().execute(async (tx) => {
    const userId = c.purpose === 'personal' ? c.userId : null;
    if (userId) {
      const [user] = await findUsersByIds(tx, [userId]);
      if (!user || user.agencyId !== c.actor.agencyId) throw badCertificate({ userId }, { message: 'Người dùng không thuộc cơ quan.' });
      if (c.purpose === 'personal' && !c.confirmNameMismatch) requireHolderName(x.subject, user.fullName);
    }
    const issued = { certDer: der, p12: c.purpose === 'seal' ? c.p12 : null, subject: x.subject.replace(/\n/g, ', '), serialHex: x.serialNumber, notBefore: from, notAfter: to };
    const secret = c.purpose === 'seal' ? await sealSecret(c.deps.config.dataDir, c.password) : null;
    return saveCertificate(c.deps, tx, { agencyId: c.actor.agencyId, purpose: c.purpose, userId, issued, chain: content.chain, p12Secret: secret, image: c.image },
      auditActorOf(c.actor, c.ip));
  });
}
