import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { audit, SYSTEM_ACTOR, withBatchedAudit } from '../../../platform/audit/audit.ts';
import type { Db } from '../../../platform/db/client.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError } from '../../../platform/errors.ts';
import { parseEdxml, type EdxmlParseResult } from '../edxml/edxml.parse.ts';
import { applyDocument, applyStatus, batchQueueFor, flushBatch, newBatchQueue, type BatchQueue, type StoredFile } from './connector.apply.ts';
import { exchangePackageRefused } from './connector.errors.ts';
import { connectorRepo } from './connector.repository.ts';

export type Outcome = 'accepted' | 'duplicate' | 'refused' | 'ignored';
/** `senderCode`: the sender the axis lists, recorded with a refusal (the package itself may be unreadable or lie about its sender). */
export type TakeIn = { agencyId: string; agencyCode: string; axisDocId: string; messageType: 'edoc' | 'status'; bytes: Uint8Array; senderCode?: string };

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/**
 * The key that identifies a package whatever axis DocId it came under (replays and re-sends), or however many axes
 * relayed it (each adds a TraceHeader, so neither the bytes nor the trace are part of it).
 */
function packageKey(parsed: EdxmlParseResult): string {
  if (parsed.kind === 'status') {
    const m = parsed.header.messageHeader;
    // A status carries no id of its own and its Timestamp whole seconds: two statuses of one code in one second (a
    // recipient returning a document refuses the waiting recall and update with two «16») differ only in what they
    // say, so all of it is in the key; only the same status sent again is one.
    return `status|${m.from.organId}|${m.responseFor.documentId ?? ''}|${m.statusCode}|${m.timestamp}|${sha256(JSON.stringify(m))}`;
  }
  const m = parsed.header.messageHeader;
  const type = parsed.header.traceHeaderList.bussiness?.bussinessDocType ?? 0;
  // Two different updates of one document share From + DocumentId + type: their content tells them apart.
  const extra = type === 2 ? `|${sha256(JSON.stringify(m))}` : '';
  return `edoc|${m.from.organId}|${m.documentId ?? ''}|${type}${extra}`;
}

type Refusal = { reason: string; code: string };
/** What checkPackage found: the sender, its certificate, and an addressee problem (refused after the pin check, in the transaction). */
type Checked = { sender: string; certSha256: string; subject: string; misaddressed?: Refusal };

/**
 * Checks a received package before anything is taken in: it must carry a valid XML-DSig covering the
 * envelope and every attachment, and be addressed to this agency. Throws exchange.package_refused with
 * the reason for a missing or broken signature. The signer pin (pinned on first use; an admin can
 * re-pin) is checked in the recording transaction, where the pins of a whole batch are read at once.
 */
function checkPackage(t: Omit<TakeIn, 'bytes'>, parsed: EdxmlParseResult): Checked {
  const sender = parsed.header.messageHeader.from.organId;
  const sig = parsed.signature;
  if (!sig.signed) throw exchangePackageRefused({ sender }, { message: 'Gói tin không có chữ ký số của cơ quan gửi.' });
  if (!sig.valid || !sig.certificate) {
    throw exchangePackageRefused({ sender, problems: sig.problems }, { message: `Chữ ký số của gói tin không hợp lệ (gói tin bị sửa đổi?): ${sig.problems.join('; ')}` });
  }
  const checked: Checked = { sender, certSha256: sha256(sig.certificate), subject: sig.subject ?? '' };
  const refused = (message: string): Refusal => ({ reason: message, code: 'exchange.package_refused' });
  if (parsed.kind === 'edoc' && !parsed.header.messageHeader.to.some((to) => to.organId === t.agencyCode)) {
    checked.misaddressed = refused(`Gói tin không gửi cho cơ quan ${t.agencyCode}.`);
  }
  if (parsed.kind === 'status' && parsed.header.messageHeader.responseFor.organId !== t.agencyCode) {
    checked.misaddressed = refused(`Gói trạng thái không nói về văn bản của cơ quan ${t.agencyCode}.`);
  }
  return checked;
}

/** The refusal of a package signed with another certificate than the one pinned for its sender. */
const forgedReason = (sender: string, subject: string) =>
  `Gói tin mang danh ${sender} nhưng được ký bằng chứng thư khác (${subject || '?'}) với chứng thư đã biết của cơ quan này: giả mạo.`;

/** Stores the decoded attachments as they came (pieces written in order, not joined first) under the SHA-256 the parse computed over them. */
async function storeFiles(deps: AppDeps, parsed: EdxmlParseResult, decoded: Buffer[][]): Promise<StoredFile[]> {
  const files: StoredFile[] = [];
  for (const [i, a] of parsed.attachments.entries()) {
    const chunks = decoded[i];
    if (!chunks) continue;
    const stored = await deps.blobs.put(chunks, { sha256: a.sha256 });
    files.push({ sha256: stored.sha256, size: stored.size, fileName: a.name || `tep-${i + 1}`, contentType: a.contentType, kind: files.length === 0 ? 'main' : 'appendix' });
  }
  return files;
}

export type TakeInResult = { outcome: Outcome; reason: string; incomingId?: string };

/** A received package after the work that needs no transaction: parsed, checked, its files stored — or refused with the reason. */
export type PreparedPackage = { t: Omit<TakeIn, 'bytes'> } & (
  | { refusal: Refusal }
  | { refusal?: undefined; parsed: EdxmlParseResult; checked: Checked; files: StoredFile[]; key: string }
);

/**
 * The part of taking in a package that runs outside any transaction, so that several packages can be
 * prepared at the same time: parse (attachments decoded into memory: the package itself is already in
 * memory and is larger than its decoded attachments), check signature, signer pin and addressee, then
 * store the attachments in the blob store (fsynced before any row refers to them).
 */
export async function preparePackage(deps: AppDeps, { bytes, ...t }: TakeIn): Promise<PreparedPackage> {
  const decoded: Buffer[][] = [];
  const sink = ({ index }: { index: number }) => {
    const chunks: Buffer[] = (decoded[index] = []);
    return new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk); done(); } });
  };
  let parsed: EdxmlParseResult;
  let checked: Checked;
  try {
    parsed = await parseEdxml(bytes, { attachmentSink: sink });
    checked = checkPackage(t, parsed);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { t, refusal: { reason: error.message, code: error.code } };
  }
  const files = parsed.kind === 'edoc' ? await storeFiles(deps, parsed, decoded) : [];
  return { t, parsed, checked, files, key: packageKey(parsed) };
}

/** What a batch transaction knows about its agency's received packages and pins, read once for the batch and kept up to date by it. */
type BatchState = {
  seen: Map<string, { outcome: string; reason: string; incomingId: string | null }>;
  acceptedKeys: Set<string>;
  pins: Map<string, string>;
  /** The exchange_received rows of the batch, inserted together at its end. */
  received: ReceivedRow[];
  /** The new documents and the statuses of the batch, written together at its end (before their exchange_received rows). */
  queue: BatchQueue;
};
type ReceivedRow = Parameters<typeof connectorRepo.insertReceived>[1];

/**
 * Records and applies prepared packages of one agency in ONE transaction (one commit, one turn of the
 * audit chain and one read of the received packages and sender pins for the whole batch). Receiving is
 * serialised per agency (advisory lock), so a package already recorded — by another process polling
 * the same axis — or a replay is recognised inside the transaction. A package that fails (database
 * error) is rolled back alone and reported as an Error (it stays unacknowledged on the axis and is
 * tried again), the others commit: the batch runs first without savepoints and, only if one package
 * fails, again with each package in its own savepoint.
 */
export async function applyPrepared(deps: AppDeps, agencyId: string, batch: readonly PreparedPackage[]): Promise<(TakeInResult | Error)[]> {
  try {
    return await applyBatch(deps, agencyId, batch, false);
  } catch (error) {
    if (batch.length === 1) return [error instanceof Error ? error : new Error(String(error))];
    return applyBatch(deps, agencyId, batch, true);
  }
}

async function applyBatch(deps: AppDeps, agencyId: string, batch: readonly PreparedPackage[], isIsolated: boolean): Promise<(TakeInResult | Error)[]> {
  return deps.db.transaction().execute((tx) => withBatchedAudit(tx, async (auditRows) => {
    await connectorRepo.lockReceiving(tx, agencyId);
    const ready = batch.flatMap((p) => (p.refusal ? [] : [p]));
    const docIds = new Set(batch.map((p) => p.t.axisDocId));
    const received = await connectorRepo.findReceivedMany(tx, agencyId, [...docIds], ready.map((p) => p.key));
    const pins = await connectorRepo.findPins(tx, agencyId, [...new Set(ready.map((p) => p.checked.sender))]);
    const state: BatchState = {
      seen: new Map(received.filter((r) => docIds.has(r.axisDocId)).map((r) => [r.axisDocId, r])),
      acceptedKeys: new Set(received.flatMap((r) => (r.outcome === 'accepted' && r.packageKey ? [r.packageKey] : []))),
      pins: new Map(pins.map((r) => [r.senderCode, r.certSha256])),
      received: [], queue: await batchQueueFor(tx, agencyId, ready.flatMap((p) => (p.parsed.kind === 'status' ? [p.parsed.header] : []))),
    };
    const results: (TakeInResult | Error)[] = [];
    for (const p of batch) {
      if (!isIsolated) {
        results.push(await applyOne(deps, tx, p, state));
        continue;
      }
      // Raw SQL: Kysely offers savepoints only on controlled transactions.
      await sql`savepoint take_in`.execute(tx);
      const [mark, receivedMark] = [auditRows.mark(), state.received.length];
      const before = { pins: new Map(state.pins), acceptedKeys: new Set(state.acceptedKeys), seen: new Map(state.seen), queue: newBatchQueue(new Map(state.queue.recipients)) };
      try {
        const result = await applyOne(deps, tx, p, state);
        await flushState(tx, state); // inside the savepoint: rolled back with the package
        await sql`release savepoint take_in`.execute(tx);
        results.push(result);
      } catch (error) {
        await sql`rollback to savepoint take_in`.execute(tx);
        auditRows.rollbackTo(mark);
        state.received.splice(receivedMark);
        Object.assign(state, before);
        results.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    await flushState(tx, state);
    return results;
  }));
}

/** Writes what the batch queued, then its exchange_received rows (both emptied). */
async function flushState(tx: Db, state: BatchState): Promise<void> {
  await flushBatch(tx, state.queue);
  await connectorRepo.insertReceivedMany(tx, state.received.splice(0));
}

async function applyOne(deps: AppDeps, tx: Db, p: PreparedPackage, state: BatchState): Promise<TakeInResult> {
  const { t } = p;
  const seen = state.seen.get(t.axisDocId);
  if (seen) return { outcome: seen.outcome as Outcome, reason: seen.reason, ...(seen.incomingId && { incomingId: seen.incomingId }) };
  const result = await applyNew(deps, tx, p, state);
  state.seen.set(t.axisDocId, { outcome: result.outcome, reason: result.reason, incomingId: result.incomingId ?? null });
  return result;
}

async function applyNew(deps: AppDeps, tx: Db, p: PreparedPackage, state: BatchState): Promise<TakeInResult> {
  const { t } = p;
  if (p.refusal) return refuse(deps, tx, t, p.refusal.reason, p.refusal.code, state.received);
  const { parsed, checked, files, key } = p;
  const pinned = state.pins.get(checked.sender);
  if (pinned !== undefined && pinned !== checked.certSha256) return refuse(deps, tx, t, forgedReason(checked.sender, checked.subject), 'exchange.package_refused', state.received);
  if (checked.misaddressed) return refuse(deps, tx, t, checked.misaddressed.reason, checked.misaddressed.code, state.received);
  if (state.acceptedKeys.has(key)) {
    state.received.push({ ...base(t, key, checked.sender), outcome: 'duplicate', reason: 'Gói tin đã nhận trước đó (gửi lại hoặc phát lại)' });
    deps.logger.warn({ agencyId: t.agencyId, axisDocId: t.axisDocId, key }, 'exchange: replayed package ignored');
    return { outcome: 'duplicate', reason: 'replay' };
  }
  if (pinned === undefined) {
    // First package of this sender: pin its certificate. An admin may have pinned one meanwhile (not under the receiving lock): that one wins.
    const isPinned = await connectorRepo.insertPin(tx, { agencyId: t.agencyId, senderCode: checked.sender, certSha256: checked.certSha256, subject: checked.subject });
    const winner = isPinned ? checked.certSha256 : (await connectorRepo.findPin(tx, t.agencyId, checked.sender))?.certSha256;
    if (winner) state.pins.set(checked.sender, winner);
    if (winner !== checked.certSha256) return refuse(deps, tx, t, forgedReason(checked.sender, checked.subject), 'exchange.package_refused', state.received);
  }
  const applied = parsed.kind === 'status'
    ? await applyStatus(tx, { agencyId: t.agencyId, header: parsed.header, queue: state.queue })
    : await applyDocument(tx, { agencyId: t.agencyId, header: parsed.header, files, queue: state.queue });
  state.received.push({ ...base(t, key, checked.sender), outcome: applied.outcome, reason: applied.reason, incomingId: applied.incomingId ?? null });
  if (applied.outcome === 'accepted') state.acceptedKeys.add(key);
  return applied;
}

/**
 * Takes in one received package exactly once: parses it (attachments streamed to disk, then to the
 * blob store, fsynced before any row refers to them), checks signature, signer pin and addressee, then
 * in ONE transaction records it and applies it (new incoming document + status 01 back, recall/update
 * request, replacement, or a status on the sender's outgoing document). A refused package is recorded
 * with its reason, logged and audited; a replayed one is recorded as a duplicate and changes nothing.
 */
export async function takeInPackage(deps: AppDeps, t: TakeIn): Promise<TakeInResult> {
  const [result] = await applyPrepared(deps, t.agencyId, [await preparePackage(deps, t)]);
  if (result instanceof Error) throw result;
  return result as TakeInResult;
}

/**
 * Gives up on a package that could not be taken in after every attempt: records it as refused with the
 * reason (the clerk sees it among refused packages), audited once, unless a poller recorded it meanwhile.
 */
export async function giveUpPackage(deps: AppDeps, t: Omit<TakeIn, 'bytes'>, reason: string): Promise<TakeInResult> {
  return deps.db.transaction().execute(async (tx) => {
    await connectorRepo.lockReceiving(tx, t.agencyId);
    const [seen] = await connectorRepo.findReceivedMany(tx, t.agencyId, [t.axisDocId], []);
    await connectorRepo.clearReceiveAttempts(tx, t.agencyId, [t.axisDocId]);
    if (seen) return { outcome: seen.outcome as Outcome, reason: seen.reason };
    return refuse(deps, tx, t, reason, 'exchange.package_unreadable');
  });
}

const base = (t: Omit<TakeIn, 'bytes'>, key: string | null, senderCode: string) => ({ agencyId: t.agencyId, axisDocId: t.axisDocId, messageType: t.messageType, packageKey: key, senderCode });

/** Records a refused package (with the batch's rows when `batchRows` is given, else at once), logs and audits it. */
async function refuse(deps: AppDeps, tx: Db, t: Omit<TakeIn, 'bytes'>, reason: string, code: string, batchRows?: ReceivedRow[]): Promise<{ outcome: 'refused'; reason: string }> {
  deps.logger.warn({ agencyId: t.agencyId, axisDocId: t.axisDocId, code, reason }, 'exchange: package refused');
  const row = { ...base(t, null, t.senderCode ?? ''), outcome: 'refused', reason: `[${code}] ${reason}` };
  if (batchRows) batchRows.push(row);
  else await connectorRepo.insertReceived(tx, row);
  await audit(tx, { ...SYSTEM_ACTOR, agencyId: t.agencyId }, { type: 'EXCHANGE_PACKAGE_REFUSED', entityType: 'exchange', entityId: t.axisDocId, agencyId: t.agencyId, data: { code, reason, messageType: t.messageType } });
  return { outcome: 'refused', reason };
}
