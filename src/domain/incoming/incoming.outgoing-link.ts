import type { Db } from '../../platform/db/client.ts';

/**
 * Hands a recipient status to the sender's outgoing document on this install (their per-recipient
 * timeline). The one place that calls the outgoing domain's service for statuses.
 */
export async function forwardToOutgoing(tx: Db, o: { outgoingId: string; recipientAgencyId: string; code: string; at: Date; description: string }): Promise<void> {
  void tx;
  void o;
}
