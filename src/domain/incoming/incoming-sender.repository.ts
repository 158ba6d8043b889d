import type { Db } from '../../platform/db/client.ts';

/** SQL for statuses sent back to external senders (the exchange outbox) and the agencies involved. */
export const senderRepo = {
  agency: (db: Db, id: string) =>
    db.selectFrom('agency').select(['id', 'code', 'name', 'address', 'email', 'phone', 'parentId']).where('id', '=', id).executeTakeFirst(),
  /** Status packages for the connector to send, in one statement. */
  insertOutbox: (db: Db, rows: readonly { incomingId: string; recipientAgencyCode: string; payload: Record<string, unknown> }[]) =>
    rows.length === 0 ? Promise.resolve() : db.insertInto('exchangeOutbox').values(rows.map((row) => ({
      incomingId: row.incomingId, recipientAgencyCode: row.recipientAgencyCode, packageKind: 'status', payload: JSON.stringify(row.payload),
    }))).execute().then(() => undefined),
  outboxOf: (db: Db, incomingId: string) =>
    db.selectFrom('exchangeOutbox').select(['id', 'recipientAgencyCode', 'packageKind', 'payload', 'status']).where('incomingId', '=', incomingId).orderBy('createdAt').execute(),
};
