import type { AppDeps } from '../../../platform/deps.ts';
import { AppError } from '../../../platform/errors.ts';
import { createBufferPool } from '../../../platform/buffer-pool.ts';
import { axisClientFor } from './connector.client.ts';
import { mapLimit, retryDelayMs, type ConnectorTimings } from './connector.config.ts';
import { buildPackage, loadPackageDocuments, packageDocumentIds, sealSigner, type PackageDocuments } from './connector.packages.ts';
import type { EdxmlSigner } from '../edxml/edxml.signature.ts';
import { exchangeNotConfigured } from './connector.errors.ts';
import { connectorRepo, type ClaimedRow, type EndpointRow } from './connector.repository.ts';
import { findOpenEndpoint } from './connector.secret.ts';

/** `multiRecipient`: axis DocIds of document packages sent to several recipients (whose delivery the axis may refuse for one of them). */
export type SendReport = { packages: number; sent: number; failed: number; retrying: number; multiRecipient: string[] };

/** Errors that no retry can fix: the package itself cannot be built. */
const PERMANENT = new Set(['edxml.invalid_header', 'exchange.not_issued']);

/** Groups claimed rows into packages: one per document package (all its recipients), one per status row. */
function groupRows(rows: ClaimedRow[]): ClaimedRow[][] {
  const groups = new Map<string, ClaimedRow[]>();
  for (const r of rows) {
    const key = r.packageKind === 'edoc' ? `edoc:${r.outgoingId ?? ''}:${r.businessDocType}` : `status:${r.id}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

/**
 * Sends due outbox packages to the axis (sendEdoc), `concurrency` at a time: builds and signs each
 * package, records the DocumentId it carries (so statuses find their way back), marks the rows sent
 * with the axis DocId; on failure schedules a retry with backoff, and after `maxAttempts` marks them
 * failed with the reason (shown to the clerk). Safe to run concurrently and after a crash: rows are
 * claimed with SKIP LOCKED and leased; a re-sent package is deduplicated by the axis.
 */
export async function sendPending(deps: AppDeps, timings: ConnectorTimings, o: { agencyId?: string } = {}): Promise<SendReport> {
  const report: SendReport = { packages: 0, sent: 0, failed: 0, retrying: 0, multiRecipient: [] };
  for (;;) {
    const rows = await connectorRepo.claimDue(deps.db, { limit: timings.batchSize, leaseMs: timings.leaseMs, agencyId: o.agencyId });
    if (rows.length === 0) return report;
    const groups = groupRows(rows);
    report.packages += groups.length;
    const round: Round = {
      endpointOf: memo((agencyId) => findOpenEndpoint(deps, agencyId)), signerOf: memo((agencyId) => sealSigner(deps, agencyId)),
      documents: await loadPackageDocuments(deps.db, rows), sent: [],
    };
    // Remembered before any package leaves (one statement for the round): a status may come back at once.
    await connectorRepo.rememberDocumentIds(deps.db, packageDocumentIds(groups, round.documents));
    const outcomes = await mapLimit(groups, timings.concurrency, (group) => sendGroup(deps, timings, group, round));
    // One statement marks every package of the round sent. A crash before it only re-sends them after the
    // lease: the axis answers a re-sent package with its first DocId.
    await connectorRepo.markSentMany(deps.db, round.sent);
    for (const [i, outcome] of outcomes.entries()) {
      report[outcome.outcome]++;
      if (outcome.docId && (groups[i]?.length ?? 0) > 1) report.multiRecipient.push(outcome.docId);
    }
    if (rows.length < timings.batchSize) return report;
  }
}

/** What the packages of one claimed batch share: each agency's endpoint and seal and the outgoing documents, read once; the packages sent (marked at the end). */
type Round = {
  endpointOf: (agencyId: string) => Promise<EndpointRow | undefined>;
  signerOf: (agencyId: string) => Promise<EdxmlSigner>;
  documents: PackageDocuments;
  sent: { ids: string[]; axisDocId: string }[];
};

/** Calls `load` once per key (a failed load is tried again on the next call). */
function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let value = cache.get(key);
    if (!value) {
      value = load(key);
      value.catch(() => cache.delete(key));
      cache.set(key, value);
    }
    return value;
  };
}

/**
 * Buffers that document packages are built into, used again once sendEdoc has settled (the client no
 * longer reads them then): a new 172 KiB buffer per package cost ~16 page faults and ~20–70 µs more.
 */
const packageBuffers = createBufferPool({ step: 64 * 1024, maxBytes: 16 * 1024 ** 2 });

async function sendGroup(deps: AppDeps, timings: ConnectorTimings, group: ClaimedRow[], round: Round): Promise<{ outcome: 'sent' | 'failed' | 'retrying'; docId?: string }> {
  const first = group[0] as ClaimedRow;
  const ids = group.map((r) => r.id);
  let buffer: Buffer<ArrayBuffer> | undefined;
  try {
    const endpoint = await round.endpointOf(first.agencyId);
    if (!endpoint) throw exchangeNotConfigured({ agencyId: first.agencyId });
    const built = await buildPackage(deps, group, await round.signerOf(first.agencyId), round.documents, (size) => (buffer = packageBuffers.take(size)));
    const client = axisClientFor(endpoint, timings.timeoutMs);
    const sent = client.sendEdoc(built.bytes, { from: endpoint.systemId, messagetype: built.messagetype });
    // Settled, sendEdoc no longer reads the package: its buffer serves the next one.
    sent.then(() => buffer && packageBuffers.giveBack(buffer), () => buffer && packageBuffers.giveBack(buffer));
    const { docId } = await sent;
    round.sent.push({ ids, axisDocId: docId });
    return { outcome: 'sent', docId };
  } catch (error) {
    const code = error instanceof AppError ? error.code : 'internal.error';
    const message = error instanceof Error ? error.message : String(error);
    const isFinal = PERMANENT.has(code) || first.attempts >= timings.maxAttempts;
    const text = `[${code}] ${message}${isFinal ? '' : ` (lần thử ${first.attempts}/${timings.maxAttempts}, sẽ thử lại)`}`;
    await connectorRepo.markAttemptFailed(deps.db, ids, { error: text, isFinal, nextAt: new Date(Date.now() + retryDelayMs(timings, first.attempts)) });
    deps.logger.warn({ err: error, outbox: ids, attempts: first.attempts, isFinal }, 'exchange: send failed');
    return { outcome: isFinal ? 'failed' : 'retrying' };
  }
}

/**
 * The axis accepts a package for several recipients even when it cannot deliver to one of them (a code
 * it does not know): only its getSentEdocList says so (sendStatus "fail"). Reads that list after a
 * round that sent such packages and marks those recipients' outbox rows failed with the axis's reason,
 * which the clerk sees in the outbox. Returns how many rows were marked. Throws axis.*.
 */
export async function checkUndelivered(deps: AppDeps, timings: ConnectorTimings, endpoint: EndpointRow, axisDocIds: readonly string[]): Promise<number> {
  if (axisDocIds.length === 0) return 0;
  const wanted = new Set(axisDocIds);
  const items = await axisClientFor(endpoint, timings.timeoutMs).getSentEdocList('edoc');
  let marked = 0;
  for (const item of items) {
    const docId = item.senderDocId ?? '';
    if (!wanted.has(docId) || item.sendStatus !== 'fail' || !item.toCode) continue;
    const reason = `[axis.undeliverable] Trục đã nhận gói tin nhưng không chuyển được tới ${item.toCode}: ${item.sendStatusDesc || item.receiveStatusDesc || 'không rõ lý do'}`;
    marked += await connectorRepo.markUndelivered(deps.db, { axisDocId: docId, recipientCode: item.toCode, error: reason });
    deps.logger.warn({ axisDocId: docId, recipient: item.toCode, reason }, 'exchange: the axis cannot deliver to one recipient');
  }
  return marked;
}
