import type { AppDeps } from '../../../platform/deps.ts';
import type { AxisClient, ReceivedItem } from '../axis/axis.client.ts';
import { axisClientFor } from './connector.client.ts';
import { mapLimit, retryDelayMs, type ConnectorTimings } from './connector.config.ts';
import { applyPrepared, giveUpPackage, preparePackage, type Outcome, type PreparedPackage } from './connector.accept.ts';
import { connectorRepo, type EndpointRow } from './connector.repository.ts';

export type PollReport = Record<Outcome | 'failed', number> & { errors: string[] };
type Endpoint = EndpointRow & { agencyCode: string };
type Poll = { deps: AppDeps; timings: ConnectorTimings; client: AxisClient; endpoint: Endpoint; report: PollReport };

/** Packages recorded in one transaction (one commit for the batch instead of one per package). */
const APPLY_BATCH = 32;
/** Batches in flight: one is fetched and verified while the other is applied. */
const BATCHES_IN_FLIGHT = 2;
/** List again at once while a pass took in something new, at most this many passes per poll. */
const MAX_PASSES = 20;

/**
 * Polls the axis for one agency (getReceivedEdocList, documents then statuses) and takes in each
 * package not seen before: fetched (getEdoc) and verified `concurrency` at a time, then recorded in
 * batches of up to 32 packages per transaction, and only after the commit acknowledged to the axis
 * (updateStatus done; fail for a refused one). A crash between the commit and the acknowledgement makes
 * the axis list the package again: it is found in exchange_received and only acknowledged. A package
 * that cannot be taken in (getEdoc fails, it cannot be read, database error) stays unacknowledged and
 * is tried again with backoff (retryBaseMs, ×4 … capped at one hour; the other packages of the list go
 * on meanwhile); after `maxAttempts` it is recorded as refused with the reason (audited once, listed
 * among the agency's refused packages) and acknowledged to the axis as failed.
 * While a pass takes in new packages, the lists are read again at once (no wait for the next tick).
 * Throws axis.unreachable / axis.remote_error / axis.bad_response when the list call fails.
 */
export async function pollAgency(deps: AppDeps, timings: ConnectorTimings, endpoint: Endpoint): Promise<PollReport> {
  const report: PollReport = { accepted: 0, duplicate: 0, refused: 0, ignored: 0, failed: 0, errors: [] };
  const poll: Poll = { deps, timings, endpoint, report, client: axisClientFor(endpoint, timings.timeoutMs) };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let fresh = 0;
    for (const messageType of ['edoc', 'status'] as const) fresh += await pollList(poll, messageType);
    if (fresh === 0) break;
  }
  return report;
}

/** One list: acknowledges what is already recorded, takes in the rest; returns how many were taken in. */
async function pollList(poll: Poll, messageType: 'edoc' | 'status'): Promise<number> {
  const { deps, endpoint, client, timings } = poll;
  const items = await client.getReceivedEdocList(messageType);
  const seen = await connectorRepo.receivedDocIds(deps.db, endpoint.agencyId, items.map((i) => i.docId));
  await mapLimit(items.filter((i) => seen.has(i.docId)), timings.concurrency, (item) => acknowledge(poll, item.docId, seen.get(item.docId) as Outcome));
  const unseen = items.filter((i) => !seen.has(i.docId));
  const tried = await connectorRepo.receiveAttempts(deps.db, endpoint.agencyId, unseen.map((i) => i.docId));
  const now = Date.now();
  const fresh = unseen.filter((i) => (tried.get(i.docId)?.nextAttemptAt.getTime() ?? 0) <= now);
  const batches = Array.from({ length: Math.ceil(fresh.length / APPLY_BATCH) }, (_, i) => fresh.slice(i * APPLY_BATCH, (i + 1) * APPLY_BATCH));
  const taken = await mapLimit(batches, BATCHES_IN_FLIGHT, (batch) => takeInBatch(poll, messageType, batch, tried));
  return taken.reduce((a, b) => a + b, 0);
}

async function takeInBatch(poll: Poll, messageType: 'edoc' | 'status', items: ReceivedItem[], tried: ReadonlyMap<string, unknown>): Promise<number> {
  const { deps, endpoint, client, timings } = poll;
  const prepared = await mapLimit(items, timings.concurrency, async (item): Promise<PreparedPackage | undefined> => {
    try {
      const bytes = await client.getEdoc(item.docId);
      return await preparePackage(deps, { agencyId: endpoint.agencyId, agencyCode: endpoint.agencyCode, axisDocId: item.docId, messageType, bytes, senderCode: item.from ?? '' });
    } catch (error) {
      await takeInFailed(poll, messageType, item.docId, error, item.from);
      return undefined;
    }
  });
  const ready = prepared.filter((p) => p !== undefined);
  if (ready.length === 0) return 0;
  let results: Awaited<ReturnType<typeof applyPrepared>>;
  try {
    results = await applyPrepared(deps, endpoint.agencyId, ready);
  } catch (error) {
    for (const p of ready) await takeInFailed(poll, messageType, p.t.axisDocId, error, p.t.senderCode);
    return 0;
  }
  const acked = await mapLimit(ready, timings.concurrency, async (p, i) => {
    const result = results[i];
    if (!result || result instanceof Error) {
      await takeInFailed(poll, messageType, p.t.axisDocId, result ?? new Error('no result'), p.t.senderCode);
      return 0;
    }
    return (await acknowledge(poll, p.t.axisDocId, result.outcome, true)) ? 1 : 0;
  });
  const recovered = ready.filter((p, i) => tried.has(p.t.axisDocId) && results[i] !== undefined && !(results[i] instanceof Error)).map((p) => p.t.axisDocId);
  await connectorRepo.clearReceiveAttempts(deps.db, endpoint.agencyId, recovered);
  return acked.reduce<number>((a, b) => a + b, 0);
}

/**
 * Counts a failed attempt at taking in a package and schedules the next one; after the last attempt
 * records the package as refused with the reason and acknowledges it to the axis as failed.
 */
async function takeInFailed(poll: Poll, messageType: 'edoc' | 'status', axisDocId: string, error: unknown, senderCode = ''): Promise<void> {
  failed(poll, axisDocId, error);
  const { deps, endpoint, timings } = poll;
  const message = error instanceof Error ? error.message : String(error);
  try {
    const attempts = await connectorRepo.countReceiveFailure(deps.db, {
      agencyId: endpoint.agencyId, axisDocId, error: message, nextAt: (n) => new Date(Date.now() + retryDelayMs(timings, n)),
    });
    if (attempts < timings.maxAttempts) return;
    const reason = `Không nhận được gói tin sau ${attempts} lần thử: ${message}`;
    const result = await giveUpPackage(deps, { agencyId: endpoint.agencyId, agencyCode: endpoint.agencyCode, axisDocId, messageType, senderCode }, reason);
    await acknowledge(poll, axisDocId, result.outcome, true);
  } catch (countError) {
    deps.logger.error({ err: countError, agencyId: endpoint.agencyId, axisDocId }, 'exchange: counting a failed take-in failed');
  }
}

/** Acknowledges a recorded package (done; fail for a refused one); counts a new outcome once acknowledged. */
async function acknowledge(poll: Poll, docId: string, outcome: Outcome, isNew = false): Promise<boolean> {
  try {
    await poll.client.updateStatus(docId, outcome === 'refused' ? 'fail' : 'done');
    if (isNew) poll.report[outcome]++;
    return true;
  } catch (error) {
    failed(poll, docId, error);
    return false;
  }
}

function failed(poll: Poll, axisDocId: string, error: unknown): void {
  poll.report.failed++;
  poll.report.errors.push(error instanceof Error ? error.message : String(error));
  poll.deps.logger.warn({ err: error, agencyId: poll.endpoint.agencyId, axisDocId }, 'exchange: taking in a package failed');
}
