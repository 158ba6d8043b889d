import type { Db } from '../../platform/db/client.ts';

/** SQL for statuses sent back to external senders (the exchange outbox) and the agencies involved. */
export const senderRepo = {
  agency: (db: Db, id: string) =>
    db.selectFrom('agency').select(['id', 'code', 'name', 'address', 'email', 'phone', 'parentId']).where('id', '=', id).executeTakeFirst(),
  insertOutbox: (db: Db, row: { incomingId: string; recipientAgencyCode: string; payload: Record<string, unknown> }) =>
    db.insertInto('exchangeOutbox').values({
      incomingId: row.incomingId, recipientAgencyCode: row.recipientAgencyCode, packageKind: 'status', payload: JSON.stringify(row.payload),
    }).execute(),
  outboxOf: (db: Db, incomingId: string) =>
    db.selectFrom('exchangeOutbox').select(['id', 'recipientAgencyCode', 'packageKind', 'payload', 'status']).where('incomingId', '=', incomingId).orderBy('createdAt').execute(),
};
