import type { Db } from '../../platform/db/client.ts';
import { recordRecipientStatus } from '../outgoing/outgoing.service.ts';
import type { SenderStatusCode } from './incoming.status.ts';

/**
 * Hands a recipient status to the sender's outgoing document on this install (their per-recipient
 * timeline), in the caller's transaction. The one place that calls the outgoing domain for statuses.
 * Throws outgoing.recipient_not_found when the outgoing document does not list this agency.
 */
export async function forwardToOutgoing(tx: Db, o: { outgoingId: string; recipientAgencyId: string; code: SenderStatusCode; at: Date; description: string }): Promise<void> {
  await recordRecipientStatus(tx, o);
}
