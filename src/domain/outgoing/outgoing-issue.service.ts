import { audit } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { can } from '../../policies/index.ts';
import { allocateNumber, listRegisters, resolveRegister } from '../registers/registers.service.ts';
import { buildNotation, documentType, formatDocumentNumber, URGENCIES } from '../registers/document-types.ts';
import { formatIssueDate } from '../signing/appearance/appearance.time.ts';
import { issueDocument } from '../signing/signing.issue.ts';
import { signPdf } from '../signing/signing.pades.ts';
import { ensureDemoCertificates, openSealSigner, sealValidity, type SignerWithImage } from '../certificates/certificates.service.ts';
import { issueTimestampProvider } from '../certificates/certificates.tsa.ts';
import { receiveInternalDocument, takeOutReplacedInternal } from '../incoming/incoming.service.ts';
import { directoryRepo, outgoingRepo, type OutgoingRow, type RecipientRow } from './outgoing.repository.ts';
import { outgoingNoFile, outgoingNoRecipients, outgoingNotFound } from './outgoing.errors.ts';
import { appendixStampPlacement, issueAnchors, sealPlacement, type ApprovalWidget } from './outgoing.pdf.ts';
import { versionFiles } from './outgoing-files.service.ts';
import { storeSigned } from './outgoing-signing.service.ts';
import { FLOW_NOTICES, notifyRecipientUnits, withdrawFlowNotices } from './outgoing.notify.ts';
import { applyRecipientStatus, loadVisible } from './outgoing.service.ts';
import { auditActor, guard, lockDocument, type DepsCtx } from './outgoing.context.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { contentTextJob } from './outgoing.jobs.ts';
import { isAppError } from '../../platform/errors.ts';
import { findUsersByIds } from '../users/users.directory.ts';

type IssuedFile = { sha256: string; fileName: string; contentType: string; size: number; kind: 'main' | 'appendix'; pageCount: number | null };

/**
 * Issues (phát hành) a signed document, all in ONE transaction: takes the next number of the agency's
 * outgoing register (Mật: its own series), writes number and date onto the PDF and applies the agency
 * seal signature in the same incremental update, stamps each appendix, records the register entry,
 * and dispatches — agencies on this install get an incoming document at once, external ones an
 * exchange_outbox row, the members of its own units a notice. Any failure rolls everything back: no number used, the document stays signed.
 * A second call on an issued document returns it unchanged (double-click issues once).
 * Throws outgoing.not_found, outgoing.bad_status, forbidden, outgoing.no_recipients, outgoing.no_file,
 * outgoing.no_number_anchor, certificates.no_seal, certificates.expired (the seal outside its validity: refused before
 * anything is numbered) and the signing errors.
 */
export async function issueOutgoing(c: DepsCtx & { id: string }): Promise<{ doc: OutgoingRow; alreadyIssued: boolean }> {
  await ensureDemoCertificates(c.deps, c.actor.agencyId);
  const seal = await openSealSigner(c.deps, c.actor.agencyId);
  return c.db.transaction().execute(async (tx) => {
    const subject = await lockDocument(tx, c.actor, c.id);
    if (subject.status === 'issued' && can(c.actor, 'outgoing.view', subject)) return { doc: subject.row, alreadyIssued: true };
    guard(c.actor, subject, 'outgoing.issue', 'issued');
    const doc = subject.row;
    const recipients = await outgoingRepo.listRecipients(tx, doc.id);
    if (recipients.length === 0) throw outgoingNoRecipients();
    const at = new Date();
    const numbered = await numberDocument(tx, doc, at);
    const { files, printed } = await sealFiles(c, tx, doc, seal, { ...numbered, at });
    const issued = await outgoingRepo.update(tx, doc.id, doc.status, {
      status: 'issued', registerId: numbered.registerId, year: numbered.year, number: numbered.number, notation: numbered.notation, issuedAt: at, issuedBy: c.actor.id,
    });
    if (!issued) throw outgoingNotFound();
    const replaced = doc.replacesId ? await markReplaced(tx, doc.replacesId) : null;
    const dispatched = await dispatch(tx, issued, recipients, files, { at, replaced, agencyCode: numbered.agencyCode, agencyName: numbered.agencyName });
    // the clerks' «chờ phát hành» is answered
    await withdrawFlowNotices(tx, doc, [FLOW_NOTICES.issue]);
    const notified = await notifyRecipientUnits(tx, { actor: c.actor, doc: issued, recipients, publicUrl: c.deps.config.publicUrl });
    await enqueue(tx, contentTextJob, { outgoingId: doc.id }, { dedupeKey: `outgoing.content_text:${doc.id}` });
    await audit(tx, auditActor(c), { type: 'OUTGOING_ISSUED', entityType: 'outgoing', entityId: doc.id, data: {
      number: numbered.numberText, registerId: numbered.registerId, year: numbered.year, at: at.toISOString(), dispatched, notified, replacesId: doc.replacesId,
      // The draft printed another ký hiệu on its "Số:" line; the issued line was written over it.
      ...(printed ? { printedNotation: printed } : {}),
    } });
    if (replaced) await audit(tx, auditActor(c), { type: 'OUTGOING_REPLACED', entityType: 'outgoing', entityId: replaced.id, data: { by: doc.id, number: numbered.numberText } });
    return { doc: issued, alreadyIssued: false };
  });
}

/**
 * What issuing the document now would give, for the clerk to check before the step that cannot be
 * undone: the register, the number it would take (an issue by someone else meanwhile takes it first),
 * the date line, and the ký hiệu the draft prints on its "Số:" line when it is not the register's (it
 * gets written over), and the validity of the agency's seal certificate (null: none installed yet;
 * sealWillBeMade: none, but issuing makes the demo one). Throws outgoing.not_found, outgoing.bad_status,
 * forbidden, outgoing.no_file, outgoing.no_number_anchor.
 */
export async function previewIssue(c: DepsCtx & { id: string }) {
  const subject = await loadVisible(c);
  guard(c.actor, subject, 'outgoing.issue', 'issued');
  const doc = subject.row;
  const register = await resolveRegister(c.db, { agencyId: doc.agencyId, kind: 'outgoing', isSecret: doc.isSecret, typeCode: doc.typeCode });
  const last = (await listRegisters(c)).find((r) => r.id === register.id)?.lastNumber ?? 0;
  const number = formatDocumentNumber(last + 1);
  const approved = (await versionFiles(c.db, doc.id, doc.currentVersion)).filter((f) => f.kind === 'signed' && f.note === 'approved').at(-1);
  if (!approved) throw outgoingNoFile({ reason: 'no approved version' });
  const { notation, dateText, printed, hasPlaceName } = await numberLineOf(c, doc, approved.sha256, number);
  // what the seal signature would be made with: the clerk is warned ahead of its end, and before pressing once it has
  // passed, while it is not yet valid, or when there is none — but in demo mode issuing makes the missing one (ensureDemoCertificates)
  const seal = await sealValidity(c.db, doc.agencyId);
  return { registerName: register.name, numberText: `${number}/${notation}`, dateText, hasPlaceName, printed: printed ?? null, recipients: (await outgoingRepo.listRecipients(c.db, doc.id)).length,
    seal, sealWillBeMade: !seal && c.deps.config.demo };
}

/**
 * Where issuing would write the number on a PDF of the document (issueAnchors, as the issue itself does):
 * the ký hiệu and date line it would get, and the ký hiệu the PDF prints when not that one.
 * Throws outgoing.no_number_anchor when the PDF has no "Số:" line (nor "[SỐ]").
 */
async function numberLineOf(c: DepsCtx, doc: OutgoingRow, sha256: string, number: string) {
  const { notation, dateText, hasPlaceName } = await describeIssue(c.db, doc, new Date());
  const { printed } = await issueAnchors(await c.deps.blobs.get(sha256), { dateText, number, notation });
  return { notation, dateText, printed, hasPlaceName };
}

/**
 * For the drafter, as soon as a file is attached: whether issuing will find the "Số:" line on the
 * current main PDF (without one the clerk cannot number it, which used to show only at issue), and the
 * ký hiệu the draft prints when not the register's. Null without a main file.
 * Throws outgoing.not_found (also when not allowed).
 */
export async function checkNumberLine(c: DepsCtx & { id: string }) {
  const doc = (await loadVisible(c)).row;
  const main = (await versionFiles(c.db, doc.id, doc.currentVersion)).find((f) => f.kind === 'main');
  if (!main) return null;
  try {
    const { notation, printed } = await numberLineOf(c, doc, main.sha256, '');
    return { version: doc.currentVersion, hasNumberLine: true, notation, printed: printed ?? null };
  } catch (error) {
    if (!isAppError(error, 'outgoing.no_number_anchor')) throw error;
    return { version: doc.currentVersion, hasNumberLine: false, notation: (await describeIssue(c.db, doc, new Date())).notation, printed: null };
  }
}

async function numberDocument(tx: Db, doc: OutgoingRow, at: Date) {
  const described = await describeIssue(tx, doc, at);
  const { registerId, year, number } = await allocateNumber(tx, { agencyId: doc.agencyId, kind: 'outgoing', isSecret: doc.isSecret, typeCode: doc.typeCode, at });
  return { ...described, registerId, year, number, numberText: `${formatDocumentNumber(number)}/${described.notation}` };
}

/**
 * The ký hiệu (agency and drafting unit) and the place + date line of a document issued at `at`; an agency
 * whose địa danh was never entered has its name there instead (`hasPlaceName` false: the issue dialog says so).
 */
async function describeIssue(db: Db, doc: OutgoingRow, at: Date) {
  const agency = await directoryRepo.findAgency(db, doc.agencyId);
  if (!agency) throw outgoingNotFound();
  const unit = doc.draftingUnitId ? await directoryRepo.findUnit(db, doc.draftingUnitId) : undefined;
  const notation = buildNotation({ typeCode: doc.typeCode, agencyShort: agency.shortName, unitShort: unit?.shortName || null });
  return { notation, dateText: formatIssueDate(agency.placeName || agency.name, at), hasPlaceName: !!agency.placeName.trim(), agencyCode: agency.code, agencyName: agency.name };
}

/** B-T (the seal signature timestamped) when the install has a TSA for issuing (demo mode: its own), else B-B. */
function sealTimestamp(c: DepsCtx) {
  const timestamp = issueTimestampProvider(c.deps.config);
  return timestamp ? { level: 'B-T' as const, timestamp } : {};
}

/**
 * Seals the approved main PDF (number + date + seal in one update) and stamps each appendix; `printed` is
 * the ký hiệu the draft printed when it was not the register's (written over).
 */
async function sealFiles(c: DepsCtx, tx: Db, doc: OutgoingRow, seal: SignerWithImage, n: { number: number; notation: string; numberText: string; dateText: string; agencyName: string; at: Date }): Promise<{ files: IssuedFile[]; printed?: string }> {
  const files = await versionFiles(tx, doc.id, doc.currentVersion);
  const approved = files.filter((f) => f.kind === 'signed' && f.note === 'approved').at(-1);
  if (!approved) throw outgoingNoFile({ reason: 'no approved version' });
  const pdf = await c.deps.blobs.get(approved.sha256);
  const { printed, ...anchors } = await issueAnchors(pdf, { dateText: n.dateText, number: formatDocumentNumber(n.number), notation: n.notation });
  const widget = seal.image ? sealPlacement(pdf, { image: seal.image, approval: doc.approvalWidget as ApprovalWidget | null }) : undefined;
  const issuedPdf = await issueDocument(pdf, {
    signer: seal.signer, ...anchors, dateText: n.dateText, widget, reason: 'Phát hành văn bản', name: n.agencyName, signingTime: n.at, ...sealTimestamp(c),
  });
  const main = await storeSigned(c.deps, tx, { doc, bytes: issuedPdf, note: 'issued', fileName: `${n.numberText.replace(/\//g, '_')}.pdf`, createdBy: c.actor.id, pageCount: approved.pageCount });
  const out: IssuedFile[] = [{ ...main, kind: 'main', fileName: main.fileName }];
  for (const [i, a] of files.filter((f) => f.kind === 'appendix').entries()) {
    const bytes = await c.deps.blobs.get(a.sha256);
    const stamped = await signPdf(bytes, { signer: seal.signer, widget: appendixStampPlacement(bytes, { number: n.numberText, signedAt: n.at }), reason: `Phụ lục kèm theo văn bản số ${n.numberText}`, name: n.agencyName, signingTime: n.at });
    const row = await storeSigned(c.deps, tx, { doc, bytes: stamped, note: `issued-appendix-${i + 1}`, fileName: a.fileName, createdBy: c.actor.id, pageCount: a.pageCount });
    out.push({ ...row, kind: 'appendix' });
  }
  const issued = out.map((f) => ({ sha256: f.sha256, fileName: f.fileName, contentType: 'application/pdf', size: f.size, kind: f.kind, pageCount: f.pageCount }));
  return { files: issued, ...(printed ? { printed } : {}) };
}

async function markReplaced(tx: Db, id: string) {
  const old = await outgoingRepo.findForUpdate(tx, id);
  if (!old || old.status !== 'issued') return old ?? null;
  return (await outgoingRepo.update(tx, id, 'issued', { status: 'replaced' })) ?? null;
}

/** Sends to every recipient inside the issue transaction; returns counts per channel. */
async function dispatch(tx: Db, doc: OutgoingRow, recipients: RecipientRow[], files: IssuedFile[], o: { at: Date; replaced: OutgoingRow | null; agencyCode: string; agencyName: string }) {
  const [signer] = await findUsersByIds(tx, doc.approvedBy ? [doc.approvedBy] : []);
  const metadata = {
    number: doc.number ?? 0, notation: doc.notation ?? '', documentDate: vietnamDay(o.at), typeCode: doc.typeCode, subject: doc.subject, urgency: doc.urgency,
    // A deputy signing on the signer's behalf (KT.) is named with their own position, not the signer's.
    secrecy: doc.secrecy, signerName: signer?.fullName ?? '', signerPosition: (doc.approvedBy !== doc.signerId ? signer?.position : doc.signerPosition || signer?.position) ?? '', dueDate: doc.dueDate,
    pageCount: files.find((f) => f.kind === 'main')?.pageCount ?? null, issuerName: o.agencyName, issuerCode: o.agencyCode,
  };
  const counts = { unit: 0, agency: 0, external: 0 };
  for (const r of recipients) {
    if (r.kind === 'unit') await applyRecipientStatus(tx, r, { code: '01', at: o.at, description: 'Đã chuyển đến đơn vị nội bộ' });
    if (r.kind === 'agency' && r.agencyId) {
      const incoming = await receiveInternalDocument(tx, { recipientAgencyId: r.agencyId, sourceOutgoingId: doc.id, senderAgencyId: doc.agencyId, metadata, files });
      await outgoingRepo.updateRecipient(tx, r.id, { incomingId: incoming.id });
      // A replacement on this install: the recipient's copy of the replaced document leaves its active lists.
      const oldIncomingId = o.replaced ? await outgoingRepo.deliveredIncomingId(tx, o.replaced.id, r.agencyId) : null;
      if (oldIncomingId) await takeOutReplacedInternal(tx, { incomingId: oldIncomingId, byIncomingId: incoming.id });
    }
    if (r.kind === 'external' && r.agencyCode) {
      await outgoingRepo.insertOutbox(tx, {
        outgoingId: doc.id, recipientAgencyCode: r.agencyCode, packageKind: 'edoc', businessDocType: o.replaced ? 3 : 0,
        payload: edocPayload(doc, metadata, recipients, files, o.replaced),
      });
    }
    counts[r.kind as keyof typeof counts]++;
  }
  return counts;
}

/**
 * The signer's competence as QCVN 102 SignerInfo/Competence writes it ("KT.", "TM.", "Q.", "TL.", "TUQ."):
 * KT. when a deputy signed under a delegation, otherwise the competence chosen on the draft.
 */
export function competenceOf(doc: Pick<OutgoingRow, 'approvedBy' | 'signerId' | 'signerCompetence'>): string | null {
  if (doc.approvedBy && doc.signerId && doc.approvedBy !== doc.signerId) return 'KT.';
  return doc.signerCompetence ? `${doc.signerCompetence}.` : null;
}

/** Everything the exchange connector needs to build the edXML package (QCVN 102 MessageHeader fields + file blobs). */
function edocPayload(doc: OutgoingRow, m: Record<string, unknown> & { pageCount: number | null }, recipients: RecipientRow[], files: IssuedFile[], replaced: OutgoingRow | null) {
  return {
    documentId: doc.id, from: { organId: m.issuerCode, organName: m.issuerName },
    promulgationDate: m.documentDate, documentType: documentType(doc.typeCode)?.name ?? doc.typeCode, typeCode: doc.typeCode, subject: doc.subject,
    priority: URGENCIES.find((u) => u.code === doc.urgency)?.priority ?? 0, secrecy: doc.secrecy, signerInfo: { ...(competenceOf(doc) && { competence: competenceOf(doc) }), position: m.signerPosition, fullName: m.signerName },
    dueDate: doc.dueDate, pageAmount: m.pageCount, issuedAmount: doc.copies, toPlaces: doc.recipientsText,
    to: recipients.filter((r) => r.agencyCode).map((r) => ({ organId: r.agencyCode, organName: r.name })),
    files: files.map((f) => ({ sha256: f.sha256, fileName: f.fileName, contentType: f.contentType, size: f.size, kind: f.kind })),
    ...(replaced && { replacement: { documentId: replaced.id } }),
  };
}
