import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../policies/actor.ts';
import { requestsVisibleTo } from '../../policies/incoming.ts';

export type RequestKind = 'recall' | 'update';
export type RequestStatus = 'pending' | 'agreed' | 'refused';

const LIST_COLUMNS = [
  'r.id', 'r.incomingId', 'r.kind', 'r.status', 'r.reason', 'r.senderCode', 'r.payload', 'r.answerNote', 'r.answeredAt', 'r.createdAt',
  'i.subject', 'i.number', 'i.notation', 'i.issuerName', 'i.arrivalNumber', 'i.arrivalYear', 'i.status as incomingStatus',
] as const;

const visibleDocuments = (db: Db, actor: Actor) => db.selectFrom('incomingDocument').select('incomingDocument.id').where(requestsVisibleTo(actor));

/**
 * SQL of the senders' recall / update requests (table exchange_request): one mechanism for senders on
 * this install and for those that reach us through the axis.
 */
export const requestsRepo = {
  insert: (db: Db, v: { agencyId: string; incomingId: string; kind: RequestKind; documentId: string; senderCode: string; reason: string; payload: unknown }) =>
    db.insertInto('exchangeRequest').values({ ...v, payload: JSON.stringify(v.payload) }).returningAll().executeTakeFirstOrThrow(),
  find: (db: Db, id: string) => db.selectFrom('exchangeRequest').selectAll().where('id', '=', id).executeTakeFirst(),
  findForUpdate: (db: Db, id: string) => db.selectFrom('exchangeRequest').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  /** A document's requests of one kind still waiting for their answer, oldest first, locked (the caller holds the document's row lock). */
  pendingForUpdate: (db: Db, incomingId: string, kind: RequestKind) =>
    db.selectFrom('exchangeRequest').selectAll().where('incomingId', '=', incomingId).where('kind', '=', kind).where('status', '=', 'pending')
      .orderBy('createdAt').orderBy('id').forUpdate().execute(),
  /** Records the answer of a request still pending (answeredBy null: the system answered it); undefined when it was answered meanwhile. */
  answer: (db: Db, id: string, v: { status: 'agreed' | 'refused'; answeredBy: string | null; answerNote: string }) =>
    db.updateTable('exchangeRequest').set({ ...v, answeredAt: new Date() }).where('id', '=', id).where('status', '=', 'pending')
      .returningAll().executeTakeFirst(),
  /** The actor's agency's requests about documents `requestsVisibleTo` them, newest first (pending ones when `status` says so). */
  listForAgency: (db: Db, actor: Actor, status?: RequestStatus) => {
    let q = db.selectFrom('exchangeRequest as r').innerJoin('incomingDocument as i', 'i.id', 'r.incomingId')
      .leftJoin('appUser as u', 'u.id', 'r.answeredBy').select([...LIST_COLUMNS, 'u.fullName as answeredByName'])
      .where('r.agencyId', '=', actor.agencyId).where('r.incomingId', 'in', visibleDocuments(db, actor));
    if (status) q = q.where('r.status', '=', status);
    return q.orderBy('r.createdAt', 'desc').limit(200).execute();
  },
  /** Every request about one document, newest first (its page shows the pending one and the answers). */
  listForDocument: (db: Db, incomingId: string) =>
    db.selectFrom('exchangeRequest as r').innerJoin('incomingDocument as i', 'i.id', 'r.incomingId')
      .leftJoin('appUser as u', 'u.id', 'r.answeredBy').select([...LIST_COLUMNS, 'u.fullName as answeredByName'])
      .where('r.incomingId', '=', incomingId).orderBy('r.createdAt', 'desc').execute(),
  /** The pending recall request about a document, if any (it holds the document where it is). */
  pendingRecall: (db: Db, incomingId: string) =>
    db.selectFrom('exchangeRequest').select(['id', 'reason', 'createdAt']).where('incomingId', '=', incomingId)
      .where('kind', '=', 'recall').where('status', '=', 'pending').orderBy('createdAt', 'desc').limit(1).executeTakeFirst(),
  /** A query counting the requests listForAgency shows that are pending (n): run inside the home page's counts (incomingRepo.countBoxes). */
  pendingCount: (db: Db, actor: Actor) =>
    db.selectFrom('exchangeRequest').select((eb) => eb.fn.countAll<string>().as('n')).where('exchangeRequest.agencyId', '=', actor.agencyId)
      .where('exchangeRequest.status', '=', 'pending').where('exchangeRequest.incomingId', 'in', visibleDocuments(db, actor)),
};
