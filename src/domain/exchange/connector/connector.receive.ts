import type { AppDeps } from '../../../platform/deps.ts';
import type { AxisClient } from '../axis/axis.client.ts';
import { axisClientFor } from './connector.client.ts';
import { mapLimit, type ConnectorTimings } from './connector.config.ts';
import { takeInPackage, type Outcome } from './connector.accept.ts';
import { connectorRepo, type EndpointRow } from './connector.repository.ts';

export type PollReport = Record<Outcome | 'failed', number> & { errors: string[] };
type Endpoint = EndpointRow & { agencyCode: string };

/**
 * Polls the axis for one agency (getReceivedEdocList, documents then statuses), takes in each package
 * not seen before (getEdoc → takeInPackage) and only then acknowledges it to the axis (updateStatus
 * done; fail for a refused one). A crash between the commit and the acknowledgement makes the axis
 * list the package again: it is found in exchange_received and only acknowledged. A package that
 * cannot be taken in now (database error) stays unacknowledged and is tried at the next poll.
 * Throws axis.unreachable / axis.remote_error / axis.bad_response when the list call fails.
 */
export async function pollAgency(deps: AppDeps, timings: ConnectorTimings, endpoint: Endpoint): Promise<PollReport> {
  const report: PollReport = { accepted: 0, duplicate: 0, refused: 0, ignored: 0, failed: 0, errors: [] };
  const client = axisClientFor(endpoint, timings.timeoutMs);
  for (const messageType of ['edoc', 'status'] as const) {
    const items = await client.getReceivedEdocList(messageType);
    await mapLimit(items, timings.concurrency, async (item) => {
      try {
        const outcome = await takeInItem(deps, client, endpoint, messageType, item.docId);
        if (outcome) report[outcome]++;
      } catch (error) {
        report.failed++;
        report.errors.push(error instanceof Error ? error.message : String(error));
        deps.logger.warn({ err: error, agencyId: endpoint.agencyId, axisDocId: item.docId }, 'exchange: taking in a package failed');
      }
    });
  }
  return report;
}

/** Takes in one listed package (unless already recorded) and acknowledges it; returns the new outcome, if any. */
async function takeInItem(deps: AppDeps, client: AxisClient, endpoint: Endpoint, messageType: 'edoc' | 'status', docId: string): Promise<Outcome | undefined> {
  const seen = await connectorRepo.findReceived(deps.db, endpoint.agencyId, docId);
  let outcome = seen?.outcome as Outcome | undefined;
  let isNew = false;
  if (!seen) {
    const bytes = await client.getEdoc(docId);
    outcome = (await takeInPackage(deps, { agencyId: endpoint.agencyId, agencyCode: endpoint.agencyCode, axisDocId: docId, messageType, bytes })).outcome;
    isNew = true;
  }
  await client.updateStatus(docId, outcome === 'refused' ? 'fail' : 'done');
  return isNew ? outcome : undefined;
}
