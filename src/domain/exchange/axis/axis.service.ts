import { createHash, randomUUID } from 'node:crypto';
import { recordBlob } from '../../../platform/blobs/blobs.ts';
import type { Db } from '../../../platform/db/client.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { enqueue } from '../../../platform/jobs/jobs.ts';
import { signedParam, type AxisCaller } from './axis.auth.ts';
import { bodyLogOf, checkedBody, readStoredBody } from './axis.bodylog.ts';
import { servedAgencies } from './axis.directory.ts';
import { bodyExpired } from './axis.retention.ts';
import {
  axisBadStatus, axisDocNotFound, axisFromNotServed, axisHashFileMismatch, axisNoRecipient, axisParamMissing,
} from './axis.errors.ts';
import { axisForwardJobSpec } from './axis.jobs.ts';
import { appendTraceHeader, readPackage, recipientsFromToHeader, type PackageInfo } from './axis.package.ts';
import type { RecentBodyCache } from './axis.recent.ts';
import { listTime, unpaddedHex } from './axis.protocol.ts';
import { axisRepo, logLocationOf, type AxisDeliveryRow } from './axis.repository.ts';

/** The axis this process runs: its own code (TraceHeader OrganId) and whether a parent axis is configured. */
export type AxisContext = { deps: AppDeps; axisCode: string; hasParent: boolean };

/** The sender id of packages pulled from the parent axis (never a configured system id: it has an @). */
export const PARENT_SENDER = '@parent';

const MESSAGE_TYPES = ['edoc', 'status'] as const;

function messageTypeOf(caller: AxisCaller): 'edoc' | 'status' {
  const value = (signedParam(caller, 'messagetype', 'messageType') ?? 'edoc').toLowerCase();
  return value === 'status' ? 'status' : 'edoc';
}

/** Optional list filter: only a known messagetype filters, anything else lists both kinds. */
function listFilter(caller: AxisCaller): string | undefined {
  const value = signedParam(caller, 'messagetype', 'messageType')?.toLowerCase();
  return MESSAGE_TYPES.find((t) => t === value);
}

/**
 * The package bytes the SDK meant: it appends `\r\n` to the file and signs the unpadded SHA-256 of the
 * file alone; a client that sends the bare file is accepted too (the hash decides). Throws
 * axis.param_missing, axis.hash_file_mismatch.
 */
export function packageBytes(body: Uint8Array, hashFile: string | undefined): { bytes: Uint8Array; sha256: string } {
  if (!hashFile) throw axisParamMissing({ name: 'hash-file' }, { message: 'Thiếu tham số hash-file (mã băm SHA-256 của tệp) trong tiêu đề đã ký.' });
  const wanted = hashFile.trim().toLowerCase();
  // One digest per candidate gives both the SDK's unpadded hash-file and the stored (padded) SHA-256.
  const matching = (bytes: Uint8Array) => {
    const digest = createHash('sha256').update(bytes).digest();
    return unpaddedHex(digest) === wanted ? { bytes, sha256: digest.toString('hex') } : undefined;
  };
  const endsWithCrlf = body.length >= 2 && body[body.length - 2] === 0x0d && body[body.length - 1] === 0x0a;
  const found = (endsWithCrlf ? matching(body.subarray(0, body.length - 2)) : undefined) ?? matching(body);
  if (!found) throw axisHashFileMismatch({ hashFile });
  return found;
}

/**
 * Packages up to this size are kept in the axis's body log (axis.bodylog.ts: appended in groups, each
 * group made durable once, a row per body in the database); larger ones in the blob store (streaming reads).
 */
export const BODY_IN_LOG_MAX_BYTES = 4 * 1024 * 1024;

type Served = Map<string, { systemId: string | null }>;

function routeOne(served: { systemId: string | null } | undefined, code: string, sender: string, hasParent: boolean): AxisDeliveryRow | undefined {
  const base = { docId: '', recipientCode: code, statusDesc: '' };
  if (served?.systemId === sender) return undefined; // the sending system (a child axis) delivered it itself
  if (served) return { ...base, systemId: served.systemId, route: 'local', status: 'initial' };
  if (hasParent && sender !== PARENT_SENDER) return { ...base, systemId: null, route: 'parent', status: 'forwarding' };
  return { ...base, systemId: null, route: 'none', status: 'fail', statusDesc: `Không tìm thấy cơ quan nhận ${code} trên trục` };
}

function routeAll(served: Served, codes: string[], sender: string, hasParent: boolean): AxisDeliveryRow[] {
  const rows: AxisDeliveryRow[] = [];
  for (const code of codes) {
    const row = routeOne(served.get(code), code, sender, hasParent);
    if (row) rows.push(row);
  }
  if (!rows.some((r) => r.route !== 'none')) {
    const unknown = codes.join(', ') || '(không có)';
    throw axisNoRecipient({ recipients: codes }, { message: `Gói tin không có cơ quan nhận nào mà trục chuyển tới được: ${unknown}.` });
  }
  return rows;
}

function assertSenderServes(served: Served, sender: string, info: PackageInfo): void {
  if (sender === PARENT_SENDER) return;
  if (served.get(info.fromCode)?.systemId !== sender) {
    throw axisFromNotServed({ systemId: sender, from: info.fromCode }, { message: `Hệ thống "${sender}" không được gửi văn bản thay cho cơ quan "${info.fromCode}" (From của gói tin).` });
  }
}

export type SendEdocOptions = { ctx: AxisContext; caller: AxisCaller; body: Uint8Array; recent?: RecentBodyCache };

/**
 * Accepts a package (sendEdoc): checks `hash-file`, returns the first DocId for a replay (same system,
 * messagetype and bytes) or a rebuilt copy of a stored package (same package id), otherwise stores, in
 * one statement, the package with its bodies' rows (bodies up to BODY_IN_LOG_MAX_BYTES in the body log,
 * durable first; larger ones as blobs fsynced first), one delivery per recipient (local system, parent
 * axis, or failed) and the hop trace, plus the forwarding job in the same transaction when a recipient is the parent's. The DocId is
 * answered after the commit. Throws axis.param_missing,
 * axis.hash_file_mismatch, axis.not_edxml, axis.from_not_served, axis.no_recipient.
 */
export async function sendEdoc({ ctx, caller, body, recent }: SendEdocOptions): Promise<{ docId: string; isDuplicate: boolean }> {
  const { db } = ctx.deps;
  const { bytes, sha256 } = packageBytes(body, signedParam(caller, 'hash-file'));
  const messageType = messageTypeOf(caller);
  const info = await readPackage(bytes);
  const firstSent = async () => {
    const sent = await axisRepo.findSent(db, caller.systemId, messageType, sha256, info.packageId);
    return { replay: sent.replay && { docId: sent.replay.docId, isDuplicate: true }, same: sent.same && { docId: sent.same.docId, isDuplicate: true } };
  };
  // A large package is looked up first, so a replay writes no blob; a small one is inserted at once and
  // looked up only when the insert finds it there (one statement per new package).
  const early = bytes.length > BODY_IN_LOG_MAX_BYTES ? await firstSent() : undefined;
  if (early?.replay) return early.replay;
  const toHeader = signedParam(caller, 'to') ?? '';
  const codes = info.recipients.length > 0 ? info.recipients : recipientsFromToHeader(toHeader);
  const served = await servedAgencies(db, [info.fromCode, ...codes]);
  let deliveries: AxisDeliveryRow[];
  try {
    assertSenderServes(served, caller.systemId, info);
    deliveries = routeAll(served, codes, caller.systemId, ctx.hasParent);
  } catch (error) {
    // A replay gets its first DocId even if the directory changed since.
    const { replay } = early ?? await firstSent();
    if (replay) return replay;
    throw error;
  }
  const known = early?.replay ?? early?.same;
  if (known) return deliverToRoutableNow(ctx, known, deliveries);
  const docId = await storeAccepted(ctx, caller, { bytes, sha256, info, messageType, toHeader, deliveries, recent });
  if (docId !== undefined) return { docId, isDuplicate: false };
  // Sent before (a replay, a rebuilt package, or a concurrent identical send): answer with the first DocId.
  const { replay, same } = await firstSent();
  const winner = replay ?? same;
  if (!winner) throw new Error('axis: duplicate package vanished');
  return deliverToRoutableNow(ctx, winner, deliveries);
}

/**
 * A package sent again (same bytes or same package id) is not stored twice, but a recipient of the
 * stored one that could not be routed when it came (no system served its code: getSentEdocList says
 * "fail") and can be now gets its delivery — how a sender reaches the one recipient of several that
 * failed, once the directory knows it. Delivered recipients are not delivered again; only codes of the
 * stored package's own deliveries are routed (its bytes name them).
 */
async function deliverToRoutableNow(ctx: AxisContext, known: { docId: string; isDuplicate: boolean }, deliveries: readonly AxisDeliveryRow[]) {
  const routable = deliveries.filter((d) => d.route !== 'none');
  if (routable.length === 0) return known;
  await ctx.deps.db.transaction().execute(async (tx) => {
    // Its body dropped by the retention: nobody new can fetch it, so its failed recipients stay failed.
    if (!(await axisRepo.lockBodyKept(tx, known.docId))) return;
    const routed = await axisRepo.routeUndelivered(tx, known.docId, routable);
    if (routed.length === 0) return;
    await axisRepo.addTrace(tx, { docId: known.docId, organId: ctx.axisCode, event: 'rerouted', detail: `sent again: now routed to ${routed.map((r) => r.recipientCode).join(', ')}` });
    if (routed.some((r) => r.route === 'parent')) await enqueue(tx, axisForwardJobSpec, { docId: known.docId }, { dedupeKey: `axis.forward:${known.docId}:rerouted:${Date.now()}` });
  });
  return known;
}

type Accepted = { bytes: Uint8Array; sha256: string; info: PackageInfo; messageType: string; toHeader: string; deliveries: AxisDeliveryRow[]; recent?: RecentBodyCache };

/**
 * Stores a routed package: bodies up to BODY_IN_LOG_MAX_BYTES appended to the body log and durable
 * (its group's O_DSYNC write) before the statement that commits their rows and the package (one statement, one
 * commit), larger ones as blobs fsynced before the rows commit; the forwarding job in the same
 * transaction when a recipient is the parent's. Returns undefined when the package was there already
 * (its bytes then stay in the log unreferenced: harmless).
 */
async function storeAccepted(ctx: AxisContext, caller: AxisCaller, a: Accepted): Promise<string | undefined> {
  const { db, blobs } = ctx.deps;
  const delivered = await appendTraceHeader(a.bytes, a.info, ctx.axisCode, new Date());
  const trace = { organId: ctx.axisCode, event: 'accepted', detail: delivered.appended ? 'TraceHeader appended' : (a.info.isSigned ? 'signed package: TraceHeader recorded here only' : 'TraceHeader not appended') };
  const bodies = [{ sha256: a.sha256, bytes: a.bytes }, ...(delivered.appended ? [{ sha256: createHash('sha256').update(delivered.bytes).digest('hex'), bytes: delivered.bytes }] : [])];
  const row = {
    docId: randomUUID(), senderSystem: caller.systemId, serviceType: signedParam(caller, 'servicetype', 'serviceType') ?? 'eDoc',
    messageType: a.messageType, sha256: a.sha256, deliveredSha256: bodies.at(-1)?.sha256 ?? a.sha256, size: a.bytes.length,
    hashFile: signedParam(caller, 'hash-file') ?? '', fromHeader: signedParam(caller, 'from') ?? '', toHeader: a.toHeader,
    fromCode: a.info.fromCode, packageId: a.info.packageId, title: a.info.title.slice(0, 1000), notation: a.info.notation.slice(0, 200),
  };
  const { deliveries } = a;
  const toParent = deliveries.some((d) => d.route === 'parent');
  const inLog = a.bytes.length <= BODY_IN_LOG_MAX_BYTES;
  // The rows must not commit before their bytes are durable: the append resolves once its group's write is.
  const logged = inLog ? await bodyLogOf(ctx.deps).append(bodies.map((b) => b.bytes)) : [];
  const bodyRows = bodies.flatMap((b, i) => { const at = logged[i]; return at ? [{ sha256: b.sha256, at }] : []; });
  // The common case: everything in one statement (one commit, the commit's fsync only).
  if (inLog && !toParent) {
    const docId = await axisRepo.insertAccepted(db, { row, bodies: bodyRows, deliveries, trace });
    if (docId !== undefined) a.recent?.remember(docId, { sha256: row.sha256, bytes: a.bytes, deliveredSha256: row.deliveredSha256, delivered: delivered.bytes });
    return docId;
  }
  const files = inLog ? [] : await Promise.all(bodies.map((b) => blobs.put(b.bytes)));
  return db.transaction().execute(async (tx) => {
    const docId = await axisRepo.insertAccepted(tx, { row, bodies: bodyRows, deliveries, trace });
    if (docId === undefined) return undefined;
    for (const file of files) await recordBlob(tx, { ...file, contentType: 'application/xml' });
    if (toParent) await enqueue(tx, axisForwardJobSpec, { docId }, { dedupeKey: `axis.forward:${docId}` });
    return docId;
  });
}

/** The SDK's getReceivedEdocList items: packages this system has not acknowledged with "done". */
export async function listReceived({ db, caller }: { db: Db; caller: AxisCaller }) {
  const rows = await axisRepo.inbox(db, caller.systemId, listFilter(caller));
  return rows.map((r) => ({
    docId: r.docId, serviceType: r.serviceType, messageType: r.messageType,
    created_time: listTime(new Date(r.createdMs)), updated_time: listTime(new Date(r.updatedMs ?? r.createdMs)),
    from: r.fromCode || r.fromHeader, to: r.toHeader || r.recipients, status: r.status ?? 'initial', status_desc: r.statusDesc ?? '',
  }));
}

/** The SDK's getSentEdocList items: one per recipient of each package this system sent. */
export async function listSent({ db, caller }: { db: Db; caller: AxisCaller }) {
  const rows = await axisRepo.sentList(db, caller.systemId, listFilter(caller));
  return rows.map((r) => ({
    serviceType: r.serviceType, messageType: r.messageType, senderDocId: r.docId, receiverDocId: r.parentDocId ?? r.docId,
    fromCode: r.fromCode, toCode: r.recipientCode, title: r.title, notation: r.notation,
    sentTime: listTime(new Date(r.createdAt)), receivedTime: r.status === 'done' ? listTime(new Date(r.updatedAt)) : '',
    sendStatus: r.route === 'none' ? 'fail' : r.route === 'parent' ? (r.status === 'forwarding' ? 'forwarding' : 'forwarded') : 'sent',
    sendStatusDesc: r.route === 'local' ? '' : r.statusDesc, receiveStatus: r.status, receiveStatusDesc: r.route === 'local' ? r.statusDesc : '',
  }));
}

function docIdOf(caller: AxisCaller): string {
  const docId = signedParam(caller, 'docId', 'docid', 'DocId', 'docID');
  if (!docId) throw axisParamMissing({ name: 'docId' }, { message: 'Thiếu tham số docId trong tiêu đề đã ký.' });
  return docId;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = (docId: string) => axisDocNotFound({ docId }, { message: `Không tìm thấy văn bản ${docId}.` });

export type GetEdocOptions = { deps: AppDeps; caller: AxisCaller; recent?: RecentBodyCache };

/**
 * The package for getEdoc: recipients get what was delivered (with this hop's TraceHeader),
 * the sender what it sent; anyone else is told it does not exist. A body this process accepted lately
 * comes from `recent` once the database confirms its row and the caller's right to it; any other is
 * read from the body log (or its bytea row, or the blob store) and checked against its SHA-256 first.
 * Throws axis.param_missing, axis.doc_not_found, axis.body_expired (its body was dropped by the
 * retention: axis.retention.ts), axis.body_corrupt.
 */
export async function getEdoc({ deps, caller, recent }: GetEdocOptions): Promise<{ docId: string; bytes: Uint8Array }> {
  const docId = docIdOf(caller);
  const withBody = recent?.has(docId) !== true;
  const pkg = UUID.test(docId) ? await axisRepo.findPackageFor(deps.db, docId, caller.systemId, { withBody }) : undefined;
  if (!pkg) throw notFound(docId);
  const wanted = pkg.isRecipient ? pkg.deliveredSha256 : pkg.senderSystem === caller.systemId ? pkg.sha256 : undefined;
  if (wanted === undefined) throw notFound(docId);
  if (pkg.bodyDropped) throw bodyExpired(docId); // before the memory copy: the rows decide
  if (!pkg.hasBody) return { docId, bytes: await deps.blobs.get(wanted) };
  const kept = recent?.bodyOf(docId, wanted);
  if (kept) return { docId, bytes: kept };
  const at = logLocationOf(pkg);
  if (at) return { docId, bytes: await bodyLogOf(deps).read(at, wanted) };
  // A body kept as bytea (written before the body log), checked like the log's.
  if (pkg.base64Lines !== null) return { docId, bytes: checkedBody(Buffer.from(pkg.base64Lines, 'base64'), wanted, { docId, in: 'axis_body.bytes' }, deps.logger) };
  // Dropped from memory while the query ran (newer bodies pushed it out): read it after all.
  return { docId, bytes: await readStoredBody(deps, wanted) };
}

/**
 * The transport acknowledgement (updateStatus): "done" takes the package out of the caller's received
 * list for good; other lower-case statuses (fail, processing…) are recorded but never undo "done", so a
 * replayed request changes nothing. Throws axis.param_missing, axis.bad_status, axis.doc_not_found.
 */
export async function updateStatus({ db, caller }: { db: Db; caller: AxisCaller }): Promise<void> {
  const docId = docIdOf(caller);
  const status = (signedParam(caller, 'status') ?? '').trim().toLowerCase();
  if (!/^[a-z_]{1,32}$/.test(status)) throw axisBadStatus({ status });
  if (!UUID.test(docId)) throw notFound(docId);
  // One statement when it changes something; only a no-op (replay, already done) asks whether the caller is a recipient.
  const result = await axisRepo.setDeliveryStatus(db, docId, caller.systemId, status);
  if (Number(result.numAffectedRows ?? 0) === 0 && !(await axisRepo.isRecipientSystem(db, docId, caller.systemId))) throw notFound(docId);
}
