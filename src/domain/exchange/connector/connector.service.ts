import type { Kysely } from 'kysely';
import { audit, auditActorOf, SYSTEM_ACTOR } from '../../../platform/audit/audit.ts';
import type { DB, Db } from '../../../platform/db/client.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { enqueue } from '../../../platform/jobs/jobs.ts';
import { authorize } from '../../../policies/index.ts';
import type { Actor } from '../../../policies/actor.ts';
import { axisClientFor } from './connector.client.ts';
import type { ConnectorTimings } from './connector.config.ts';
import { exchangeAgencyNotFound, exchangeBadEndpoint, readStoredError } from './connector.errors.ts';
import { exchangeTickJob } from './connector.jobs.ts';
import { pollAgency, type PollReport } from './connector.receive.ts';
import { connectorRepo } from './connector.repository.ts';
import { findOpenEndpoint, openEndpoint, sealEndpointSecret } from './connector.secret.ts';
import { checkUndelivered, sendPending, type SendReport } from './connector.send.ts';

export type Ctx = { db: Kysely<DB>; actor: Actor; ip?: string; requestId?: string };
export type EndpointInput = { endpoint: string; systemId: string; secret: string; isEnabled: boolean };

function checkEndpoint(input: EndpointInput): void {
  let url: URL;
  try {
    url = new URL(input.endpoint);
  } catch {
    throw exchangeBadEndpoint({ endpoint: input.endpoint });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw exchangeBadEndpoint({ endpoint: input.endpoint });
}

/** What an endpoint looks like to users: never the secret; the last error also in words (without its [code]). */
export function presentEndpoint(row: { agencyId: string; endpoint: string; systemId: string; isEnabled: boolean; lastPollAt: Date | null; lastError: string | null; updatedAt: Date }) {
  return { agencyId: row.agencyId, endpoint: row.endpoint, systemId: row.systemId, isEnabled: row.isEnabled, lastPollAt: row.lastPollAt, lastError: row.lastError,
    lastErrorMessage: row.lastError ? readStoredError(row.lastError).message : null, updatedAt: row.updatedAt, hasSecret: true };
}

/** Writes an agency's endpoint (secret encrypted at rest) and starts the connector tick; shared by the admin route and the CLI. */
async function saveEndpoint(tx: Db, dataDir: string, agencyId: string, input: EndpointInput, auditActor: Parameters<typeof audit>[1]) {
  checkEndpoint(input);
  const secret = await sealEndpointSecret(dataDir, input.secret);
  const row = await connectorRepo.upsertEndpoint(tx, { agencyId, endpoint: input.endpoint.replace(/\/+$/, ''), systemId: input.systemId, secret, isEnabled: input.isEnabled });
  await audit(tx, auditActor, { type: 'EXCHANGE_ENDPOINT_SET', entityType: 'exchange', entityId: agencyId, agencyId, data: { endpoint: row.endpoint, systemId: row.systemId, isEnabled: row.isEnabled } });
  await enqueue(tx, exchangeTickJob, {}, { dedupeKey: `exchange.tick:configured:${Date.now()}` });
  return row;
}

/** Sets the actor's agency axis endpoint and credentials (admin). Throws forbidden, exchange.bad_endpoint, exchange.bad_secret. */
export async function configureEndpoint(c: Ctx & { dataDir: string; input: EndpointInput }) {
  return c.db.transaction().execute(async (tx) => {
    authorize(c.actor, 'exchange.configure', { agencyId: c.actor.agencyId });
    return presentEndpoint(await saveEndpoint(tx, c.dataDir, c.actor.agencyId, c.input, auditActorOf(c.actor, c.ip, c.requestId)));
  });
}

/** Operator version (CLI): sets the endpoint of the agency with this code. Throws exchange.agency_not_found, exchange.bad_endpoint, exchange.bad_secret. */
export async function configureEndpointByCode(deps: Pick<AppDeps, 'db' | 'config'>, o: EndpointInput & { agencyCode: string }) {
  return deps.db.transaction().execute(async (tx) => {
    const agency = await connectorRepo.agencyByCode(tx, o.agencyCode);
    if (!agency) throw exchangeAgencyNotFound({ code: o.agencyCode }, { message: `Không có cơ quan mã ${o.agencyCode} trên hệ thống này.` });
    return presentEndpoint(await saveEndpoint(tx, deps.config.dataDir, agency.id, o, { ...SYSTEM_ACTOR, agencyId: agency.id, name: 'cli' }));
  });
}

/** The actor's agency endpoint (no secret), or null. Throws forbidden. */
export async function getEndpoint(c: Ctx) {
  authorize(c.actor, 'exchange.view', { agencyId: c.actor.agencyId });
  const row = await connectorRepo.findEndpoint(c.db, c.actor.agencyId);
  return row ? presentEndpoint(row) : null;
}

/** Mirrors the axis's agency list (getSynchronizeUnit) into the directory recipients are chosen from. Throws axis.*, exchange.secret_unreadable. */
export async function syncDirectory(deps: AppDeps, timings: ConnectorTimings, agencyId: string): Promise<number> {
  const endpoint = await findOpenEndpoint(deps, agencyId);
  if (!endpoint) return 0;
  const units = await axisClientFor(endpoint, timings.timeoutMs).getSynchronizeUnit();
  const codeOf = new Map(units.map((u) => [u.id, u.code]));
  await connectorRepo.upsertDirectory(deps.db, units.map((u) => ({ code: u.code, name: u.name, parentCode: codeOf.get(u.pid) ?? null, mail: u.mail ?? '', isDeleted: u.deleted === true })));
  return units.length;
}

/** The synced directory (live agencies), optionally filtered by name or code. */
export async function listDirectory(c: Ctx & { search?: string }) {
  return connectorRepo.listDirectory(c.db, { search: c.search, limit: 500 });
}

/**
 * The whole synced directory (live agencies, no limit), each with its parent's name: what other domains match a
 * name against (the sender read off a scan). No rule of its own: names and codes are public (QCVN 102).
 */
export function listDirectoryWithParents(db: Db) {
  return connectorRepo.listDirectoryWithParent(db);
}

export type RunReport = { agencies: number; sent: SendReport; received: PollReport; directory: number; errors: string[] };
const DIRECTORY_EVERY_MS = 10 * 60_000;

/**
 * One round of the connector for every enabled endpoint: sends due packages, polls the axis, reads the
 * axis's sent list after sending packages to several recipients (a recipient the axis cannot deliver
 * to → its outbox row failed with the axis's reason), re-syncs the directory when older than 10 minutes. Records each agency's last poll and error (never throws
 * for one agency's failure).
 */
export async function runConnectorOnce(deps: AppDeps, timings: ConnectorTimings, o: { agencyCode?: string; syncDirectory?: boolean } = {}): Promise<RunReport> {
  const report: RunReport = { agencies: 0, sent: { packages: 0, sent: 0, failed: 0, retrying: 0, multiRecipient: [] }, received: { accepted: 0, duplicate: 0, refused: 0, ignored: 0, failed: 0, errors: [] }, directory: 0, errors: [] };
  const endpoints = (await connectorRepo.listEndpoints(deps.db, true)).filter((e) => !o.agencyCode || e.agencyCode === o.agencyCode);
  const lastSync = await connectorRepo.lastDirectorySync(deps.db);
  let isDirectoryDue = o.syncDirectory ?? (!lastSync || Date.now() - new Date(lastSync).getTime() > DIRECTORY_EVERY_MS);
  for (const stored of endpoints) {
    report.agencies++;
    let error: string | null = null;
    try {
      // An unreadable secret (key file replaced) is this agency's error, shown to its admin; the others go on.
      const endpoint = await openEndpoint(deps.config.dataDir, stored);
      const multiRecipient: string[] = [];
      const addSent = (sent: SendReport) => {
        for (const k of ['packages', 'sent', 'failed', 'retrying'] as const) report.sent[k] += sent[k];
        multiRecipient.push(...sent.multiRecipient);
      };
      addSent(await sendPending(deps, timings, { agencyId: endpoint.agencyId }));
      const received = await pollAgency(deps, timings, endpoint);
      for (const k of ['accepted', 'duplicate', 'refused', 'ignored', 'failed'] as const) report.received[k] += received[k];
      report.received.errors.push(...received.errors);
      // What was just taken in queued statuses (01 at once): they leave in this round, not the next.
      if (received.accepted > 0) addSent(await sendPending(deps, timings, { agencyId: endpoint.agencyId }));
      // A package for several recipients may be undeliverable to one of them: only the axis's sent list says so.
      report.sent.failed += await checkUndelivered(deps, timings, endpoint, multiRecipient);
      report.sent.multiRecipient.push(...multiRecipient);
      if (isDirectoryDue) {
        report.directory += await syncDirectory(deps, timings, endpoint.agencyId);
        isDirectoryDue = false;
      }
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      report.errors.push(`${stored.agencyCode}: ${error}`);
    }
    await connectorRepo.markPolled(deps.db, stored.agencyId, error);
  }
  return report;
}
