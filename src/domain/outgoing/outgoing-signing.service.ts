import { recordBlob } from '../../platform/blobs/blobs.ts';
import { audit } from '../../platform/audit/audit.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { sendMailJob } from '../../platform/mail/mail.ts';
import { X509Certificate } from 'node:crypto';
import { errorFactory, isAppError, AppError } from '../../platform/errors.ts';
import type { Actor } from '../../policies/actor.ts';
import type { Db } from '../../platform/db/client.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { authorize } from '../../policies/index.ts';
import { signPdf } from '../signing/signing.pades.ts';
import type { Signer } from '../signing/keys.ts';
import { finishExternalSignature, prepareExternalSignature, type ExternalSigningState } from '../signing/signing.external.ts';
import type { WidgetPlacement } from '../signing/signing.placeholder.ts';
import { attachFile } from '../files/files.service.ts';
import { badCertificate, ensureDemoCertificates, openPersonalSigner, personalCertificate, requireCertificateValidNow } from '../certificates/certificates.service.ts';
import { deviceChainToEmbed } from '../certificates/certificates.chain.ts';
import { outgoingRepo } from './outgoing.repository.ts';
import { outgoingBadDelegation, outgoingDelegationOverlap, outgoingBadStatus, outgoingSessionNotFound } from './outgoing.errors.ts';
import { approvalPlacement, type ApprovalWidget } from './outgoing.pdf.ts';
import { currentMain } from './outgoing-files.service.ts';
import { auditActor, guard, lockDocument, type Ctx, type DepsCtx } from './outgoing.context.ts';
import { vnDay } from '../../platform/dates.ts';
import { FLOW_NOTICES, notifyFlow, withdrawFlowNotices } from './outgoing.notify.ts';
import { findUsersByIds } from '../users/users.directory.ts';

/** One document's result in a batch: signed, or the error code and Vietnamese message. */
export type SignOutcome = { id: string; ok: true; status: string } | { id: string; ok: false; code: string; message: string; details?: unknown };

const failed = (id: string, error: unknown): SignOutcome => {
  if (error instanceof AppError) return { id, ok: false, code: error.code, message: error.message, details: error.details };
  return { id, ok: false, code: 'signing.sign_failed', message: 'Ký số thất bại.' };
};

type Finish = (pdf: Uint8Array, widget: WidgetPlacement | undefined) => Promise<Uint8Array>;

/**
 * The names under which the approval image goes, in order: the one signing, then, for a deputy signing
 * for the leader named on the draft (KT.), that leader — a draft prepared before the delegation prints
 * the leader's name, and the signature belongs there rather than in a corner.
 */
async function signatureNames(db: Db, actor: Actor, doc: { signerId: string | null }): Promise<string[]> {
  if (!doc.signerId || doc.signerId === actor.id) return [actor.fullName];
  const [signer] = await findUsersByIds(db, [doc.signerId]);
  return [actor.fullName, ...(signer ? [signer.fullName] : [])];
}

/**
 * Signs one document in its own transaction: lock → authorize → guard status → sign the current
 * version → store the signed PDF (blob first) → status 'signed' → audit. A failure leaves it as it was.
 * `prepared` is where an external signature's image was placed at prepare (the seal goes over it at issue).
 */
async function signOne(c: DepsCtx, id: string, image: Uint8Array | null, finish: Finish, audited: Record<string, unknown>, prepared: ApprovalWidget | null = null): Promise<SignOutcome> {
  try {
    return await c.db.transaction().execute(async (tx) => {
      const subject = await lockDocument(tx, c.actor, id);
      guard(c.actor, subject, 'outgoing.sign', 'signed');
      const doc = subject.row;
      const { main } = await currentMain(tx, doc);
      const pdf = await c.deps.blobs.get(main.sha256);
      let placement: Awaited<ReturnType<typeof approvalPlacement>> | undefined;
      if (image) placement = await approvalPlacement(pdf, { names: await signatureNames(tx, c.actor, doc), position: doc.signerPosition, image });
      const signed = await finish(pdf, placement?.widget);
      await storeSigned(c.deps, tx, { doc, bytes: signed, note: 'approved', fileName: main.fileName, createdBy: c.actor.id, pageCount: main.pageCount });
      const onBehalfOf = doc.signerId !== c.actor.id ? doc.signerId : null;
      const placed = placement?.placed ?? prepared;
      const updated = await outgoingRepo.update(tx, id, doc.status, {
        status: 'signed', approvedBy: c.actor.id, approvedAt: new Date(), approvalWidget: placed ? JSON.stringify(placed satisfies ApprovalWidget) : null,
      });
      // the signer's «chờ ký» is answered; the clerks now number and issue it
      await withdrawFlowNotices(tx, doc, [FLOW_NOTICES.signature]);
      if (updated) await notifyFlow(tx, { actor: c.actor, doc: updated, kind: FLOW_NOTICES.issue, to: 'clerks', publicUrl: c.deps.config.publicUrl });
      await audit(tx, auditActor(c), { type: 'OUTGOING_SIGNED', entityType: 'outgoing', entityId: id, data: { version: doc.currentVersion, onBehalfOf, ...audited } });
      return { id, ok: true as const, status: updated?.status ?? 'signed' };
    });
  } catch (error) {
    return failed(id, error);
  }
}

/** Stores a signed PDF (blob written and recorded before the row that references it). */
export async function storeSigned(deps: AppDeps, tx: Db, o: { doc: { id: string; agencyId: string; currentVersion: number }; bytes: Uint8Array; note: string; fileName: string; createdBy: string; pageCount: number | null; kind?: string }) {
  const stored = await deps.blobs.put(o.bytes);
  await recordBlob(tx, { ...stored, contentType: 'application/pdf' });
  return attachFile(tx, {
    agencyId: o.doc.agencyId, ownerType: 'outgoing', ownerId: o.doc.id, kind: o.kind ?? 'signed', version: o.doc.currentVersion, createdBy: o.createdBy,
    upload: { ...stored, fileName: o.fileName, contentType: 'application/pdf' }, pageCount: o.pageCount, note: o.note,
  });
}

/**
 * Approval signature (ký duyệt) of one or many documents with one PIN entry: the server-held personal
 * PKCS#12 (demo mode) is opened once, then each document is signed in its own transaction and gets its
 * own outcome. Throws (before any document) certificates.no_personal, certificates.expired, signing.p12_bad_password.
 */
export async function signApproval(c: DepsCtx & { ids: string[]; pin: string }): Promise<SignOutcome[]> {
  await ensureDemoCertificates(c.deps, c.actor.agencyId);
  const { signer, image, subject } = await openPersonalSigner(c.deps, c.actor.id, c.pin);
  const finish = (s: Signer): Finish => (pdf, widget) => signPdf(pdf, { signer: s, widget, reason: 'Ký duyệt văn bản', name: c.actor.fullName, signingTime: new Date() });
  const outcomes: SignOutcome[] = [];
  for (const id of [...new Set(c.ids)]) outcomes.push(await signOne(c, id, image, finish(signer), { mode: 'server_p12', certificate: subject, batch: c.ids.length }));
  return outcomes;
}

/** A prepared document of a signing session; `approvalWidget`: where its signature image was placed (absent in sessions of before December 2026). */
type SessionItem = { id: string; version: number; state: ExternalSigningState; approvalWidget?: ApprovalWidget | null };

const certificateMismatch = errorFactory({ code: 'outgoing.certificate_mismatch', status: 409,
  message: 'Chứng thư số trên USB token khác chứng thư số đã đăng ký cho bạn trên hệ thống. Hãy chọn đúng chứng thư số, hoặc đề nghị quản trị đăng ký chứng thư số mới.' });

/** A certificate sent by the device must at least be an X.509 certificate. Throws certificates.invalid. */
function assertCertificate(der: Uint8Array) {
  try {
    new X509Certificate(der);
  } catch {
    throw badCertificate(undefined, { message: 'Chưa có chứng thư số để ký: hãy chọn chứng thư số trên USB token, hoặc đề nghị quản trị đăng ký chứng thư số cho bạn.' });
  }
}

/**
 * External signing, step 1: prepares each document for the signer's own device (signing agent on the
 * leader's computer, or a remote signing service) and returns what to sign. The certificate is the
 * user's registered one with its registered chain (or, when none is registered, the one sent, with
 * those of the CA certificates sent that link to it); the signature embeds the intermediates. A certificate outside its
 * validity today is refused before anything is prepared. Throws certificates.no_personal, certificates.expired,
 * and per document outgoing.bad_status / forbidden / outgoing.not_found (all-or-nothing).
 */
export async function prepareExternal(c: DepsCtx & { ids: string[]; certificate?: string; chain?: string[] }) {
  const registered = await personalCertificate(c.deps, c.actor.id).catch((e: unknown) => {
    if (isAppError(e, 'certificates.no_personal') && c.certificate) return undefined;
    throw e;
  });
  const sent = c.certificate ? new Uint8Array(Buffer.from(c.certificate, 'base64')) : undefined;
  // Fail before the PIN is typed, not at finish: the device must hold the key of the registered certificate.
  if (registered && sent && !Buffer.from(sent).equals(Buffer.from(registered.certDer))) throw certificateMismatch();
  const certificate = registered?.certDer ?? sent ?? new Uint8Array();
  if (!registered) assertCertificate(certificate);
  // An expired (or not yet valid) certificate is refused here, before the device asks for the PIN, not by the reader of the signed PDF.
  const inUse = new X509Certificate(certificate);
  requireCertificateValidNow({ subject: inUse.subject.replace(/\n/g, ', '), notBefore: new Date(inUse.validFrom), notAfter: new Date(inUse.validTo), purpose: 'personal' });
  // The registered chain was checked by the admin; a device's (its token's CA certificates) is taken as far as it links.
  const chain = registered?.chain ?? deviceChainToEmbed(certificate, c.chain ?? []);
  const items: SessionItem[] = [];
  const toSign: { id: string; signedAttributes: string; digest: string; hash: string }[] = [];
  for (const id of [...new Set(c.ids)]) {
    const subject = await lockDocument(c.db, c.actor, id);
    guard(c.actor, subject, 'outgoing.sign', 'signed');
    const { main } = await currentMain(c.db, subject.row);
    const pdf = await c.deps.blobs.get(main.sha256);
    const placement = registered?.image ? await approvalPlacement(pdf, { names: await signatureNames(c.db, c.actor, subject.row), position: subject.row.signerPosition, image: registered.image }) : undefined;
    const prepared = prepareExternalSignature(pdf, { certificate, chain, widget: placement?.widget, reason: 'Ký duyệt văn bản', name: c.actor.fullName, ttlSeconds: 900 });
    items.push({ id, version: subject.row.currentVersion, state: prepared.state, approvalWidget: placement?.placed ?? null });
    toSign.push({ id, signedAttributes: prepared.signedAttributes, digest: prepared.digest, hash: prepared.hash });
  }
  return c.db.transaction().execute(async (tx) => {
    const session = await outgoingRepo.insertSession(tx, { userId: c.actor.id, items, expiresAt: new Date(Date.now() + 900_000) });
    for (const it of items) await audit(tx, auditActor(c), { type: 'OUTGOING_SIGN_PREPARED', entityType: 'outgoing', entityId: it.id, data: { sessionId: session.id } });
    return { sessionId: session.id, expiresAt: session.expiresAt, items: toSign };
  });
}

/**
 * External signing, step 2: embeds each returned signature (raw over the signed attributes, or a CMS)
 * after checking it against the prepared bytes and the certificate. Per-document outcomes; a document
 * changed since prepare is refused with outgoing.bad_status. Throws outgoing.signing_session_not_found.
 */
export async function finishExternal(c: DepsCtx & { sessionId: string; signatures: { id: string; signature?: string; cms?: string }[] }): Promise<SignOutcome[]> {
  const session = await outgoingRepo.findSessionForUpdate(c.db, c.sessionId);
  if (!session || session.userId !== c.actor.id || session.finishedAt) throw outgoingSessionNotFound();
  const items = session.items as SessionItem[];
  const outcomes: SignOutcome[] = [];
  for (const s of c.signatures) {
    const item = items.find((i) => i.id === s.id);
    if (!item) {
      outcomes.push(failed(s.id, outgoingSessionNotFound({ id: s.id })));
      continue;
    }
    const result = s.cms ? { cms: new Uint8Array(Buffer.from(s.cms, 'base64')) } : { signature: new Uint8Array(Buffer.from(s.signature ?? '', 'base64')) };
    const finish: Finish = () => finishExternalSignature(item.state, result);
    const placed = (await outgoingRepo.findById(c.db, s.id))?.currentVersion;
    if (placed !== item.version) {
      outcomes.push(failed(s.id, outgoingBadStatus({ reason: 'version_changed' })));
      continue;
    }
    outcomes.push(await signOne(c, s.id, null, finish, { mode: 'external', sessionId: session.id }, item.approvalWidget ?? null));
  }
  if (outcomes.every((o) => o.ok) && outcomes.length === items.length) await outgoingRepo.finishSession(c.db, session.id);
  return outcomes;
}

/**
 * A leader delegates approval signing to a deputy (another leader of the agency) for a date range.
 * A second delegation to the same deputy whose days meet one still in force is refused (it would only
 * duplicate it); different deputies may overlap: whoever signs first signs, the document row is locked.
 * Throws forbidden, outgoing.bad_delegation, outgoing.delegation_overlap.
 */
export async function createDelegation(c: Ctx & { toUserId: string; startsOn: string; endsOn: string }) {
  return c.db.transaction().execute(async (tx) => {
    authorize(c.actor, 'outgoing.delegate', { agencyId: c.actor.agencyId });
    const [target] = await findUsersByIds(tx, [c.toUserId]);
    if (!target || target.agencyId !== c.actor.agencyId || !target.isActive || !target.roles.includes('leader') || target.id === c.actor.id || c.endsOn < c.startsOn) {
      throw outgoingBadDelegation();
    }
    const existing = await outgoingRepo.overlappingDelegation(tx, { fromUserId: c.actor.id, toUserId: c.toUserId, startsOn: c.startsOn, endsOn: c.endsOn });
    if (existing) {
      throw outgoingDelegationOverlap({ existingId: existing.id }, { message: `Đã có ủy quyền ký thay cho ${target.fullName} từ ngày ${vnDay(existing.startsOn)} đến hết ngày ${vnDay(existing.endsOn)}, trùng với khoảng ngày đã chọn. Hãy thu hồi ủy quyền đó hoặc chọn khoảng ngày khác.` });
    }
    const row = await outgoingRepo.insertDelegation(tx, { agencyId: c.actor.agencyId, fromUserId: c.actor.id, toUserId: c.toUserId, startsOn: c.startsOn, endsOn: c.endsOn });
    await audit(tx, auditActor(c), { type: 'OUTGOING_DELEGATION_CREATED', entityType: 'outgoing', entityId: row.id, data: { toUserId: c.toUserId, startsOn: c.startsOn, endsOn: c.endsOn } });
    // The deputy learns of it at once (the delegations page lists it too): a mail through the mail job.
    if (target.email) {
      await enqueue(tx, sendMailJob, { agencyId: c.actor.agencyId, to: target.email, subject: `Ủy quyền ký thay (KT.) từ ${c.actor.fullName}`.slice(0, 300),
        text: `Kính gửi ${target.fullName},\n\n${c.actor.fullName} ủy quyền cho anh/chị ký thay (KT.) các văn bản chờ ký của mình từ ngày ${vnDay(c.startsOn)} đến hết ngày ${vnDay(c.endsOn)}. Các văn bản này hiện trong mục "Chờ ký" của anh/chị.\n\n— vanthu` });
    }
    return row;
  });
}

/** Revokes one of the actor's delegations. Throws outgoing.not_found. */
export async function revokeDelegation(c: Ctx & { id: string }) {
  return c.db.transaction().execute(async (tx) => {
    const row = await outgoingRepo.revokeDelegation(tx, c.id, c.actor.id);
    if (!row) throw outgoingBadDelegation(undefined, { message: 'Không tìm thấy ủy quyền còn hiệu lực của bạn.' });
    await audit(tx, auditActor(c), { type: 'OUTGOING_DELEGATION_REVOKED', entityType: 'outgoing', entityId: row.id });
    return row;
  });
}
