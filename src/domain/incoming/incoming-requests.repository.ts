import type { Db } from '../../platform/db/client.ts';

export type RequestKind = 'recall' | 'update';
export type RequestStatus = 'pending' | 'agreed' | 'refused';

const LIST_COLUMNS = [
  'r.id', 'r.incomingId', 'r.kind', 'r.status', 'r.reason', 'r.senderCode', 'r.payload', 'r.answerNote', 'r.answeredAt', 'r.createdAt',
  'i.subject', 'i.number', 'i.notation', 'i.issuerName', 'i.arrivalNumber', 'i.arrivalYear', 'i.status as incomingStatus',
] as const;

/**
 * SQL of the senders' recall / update requests (table exchange_request): one mechanism for senders on
 * this install and for those that reach us through the axis.
 */
export const requestsRepo = {
  insert: (db: Db, v: { agencyId: string; incomingId: string; kind: RequestKind; documentId: string; senderCode: string; reason: string; payload: unknown }) =>
    db.insertInto('exchangeRequest').values({ ...v, payload: JSON.stringify(v.payload) }).returningAll().executeTakeFirstOrThrow(),
  findForUpdate: (db: Db, id: string) => db.selectFrom('exchangeRequest').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  /** Records the answer of a request still pending; undefined when it was answered meanwhile. */
  answer: (db: Db, id: string, v: { status: 'agreed' | 'refused'; answeredBy: string; answerNote: string }) =>
    db.updateTable('exchangeRequest').set({ ...v, answeredAt: new Date() }).where('id', '=', id).where('status', '=', 'pending')
      .returningAll().executeTakeFirst(),
  /** An agency's requests with their documents, newest first (pending ones when `status` says so). */
  listForAgency: (db: Db, agencyId: string, status?: RequestStatus) => {
    let q = db.selectFrom('exchangeRequest as r').innerJoin('incomingDocument as i', 'i.id', 'r.incomingId')
      .leftJoin('appUser as u', 'u.id', 'r.answeredBy').select([...LIST_COLUMNS, 'u.fullName as answeredByName']).where('r.agencyId', '=', agencyId);
    if (status) q = q.where('r.status', '=', status);
    return q.orderBy('r.createdAt', 'desc').limit(200).execute();
  },
  /** Every request about one document, newest first (its page shows the pending one and the answers). */
  listForDocument: (db: Db, incomingId: string) =>
    db.selectFrom('exchangeRequest as r').innerJoin('incomingDocument as i', 'i.id', 'r.incomingId')
      .leftJoin('appUser as u', 'u.id', 'r.answeredBy').select([...LIST_COLUMNS, 'u.fullName as answeredByName'])
      .where('r.incomingId', '=', incomingId).orderBy('r.createdAt', 'desc').execute(),
  countPending: async (db: Db, agencyId: string) =>
    Number((await db.selectFrom('exchangeRequest').select((eb) => eb.fn.countAll().as('n')).where('agencyId', '=', agencyId).where('status', '=', 'pending').executeTakeFirst())?.n ?? 0),
};
