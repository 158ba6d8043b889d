import { sql, type Expression, type ExpressionBuilder, type Insertable, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { DB, Db } from '../../platform/db/client.ts';
import type { OutgoingDocument, OutgoingRecipient } from '../../platform/db/types.gen.ts';
import type { Actor } from '../../policies/actor.ts';
import { outgoingVisibleTo } from '../../policies/outgoing.ts';
import type { TChainStep } from './outgoing.schemas.ts';
import { codeWords, documentSearchText, type DocumentOrder } from '../documents/search-text.ts';
import { matchesWords, relevanceOf } from '../documents/search-text.repository.ts';
import { formatDocumentNumber } from '../registers/document-types.ts';

export type OutgoingRow = Selectable<OutgoingDocument>;
export type RecipientRow = Selectable<OutgoingRecipient>;
/**
 * A document's recipients counted: all, got it (any status), registered it (03–06), finished (06), refused (02),
 * and their answers to a recall or an update request: agreed (15), disagreed (16), awaiting an answer (13).
 */
export type RecipientCounts = { total: number; delivered: number; registered: number; done: number; refused: number; agreed: number; disagreed: number; awaiting: number };
export type WorkBox = 'drafts' | 'review' | 'signature' | 'to_issue' | 'issued' | 'all';

// Delegations run by calendar day in Vietnam, whatever the database session's time zone.
const VN_TODAY = sql<string>`(now() at time zone 'Asia/Ho_Chi_Minh')::date`;

/**
 * The text an outgoing document is found by: its trích yếu and số/ký hiệu — whole as printed
 * ("07/UBND-VP"), the number as printed and as typed ("07", "7"), the ký hiệu and its parts — and, once
 * issued, the text of its main PDF (outgoing.content_text) — also without diacritics (the incoming
 * documents' rule, search-text.ts).
 */
export function outgoingSearchTextOf(d: { subject: string; number: number | null; notation: string | null; contentText?: string | null }): string {
  const numbers = d.number === null ? [] : [formatDocumentNumber(d.number), String(d.number)];
  return documentSearchText([...codeWords(numbers, d.notation), d.subject], [d.contentText]);
}

// The columns the search text is made of: a write that sets one of them sets it too.
const SEARCHED = ['subject', 'number', 'notation', 'contentText'] as const;

/** A work list's query: a box, and the search page's filters and order. */
export type ListOutgoingQuery = { box: WorkBox; limit: number; offset: number; search?: string; status?: string; from?: string; to?: string; typeCode?: string; order?: DocumentOrder };
/** A document's Vietnamese day for the search page's date range and order: issued, or else drafted. Raw SQL: a time-zone cast. */
const OUTGOING_DAY = sql<string>`(coalesce(outgoing_document.issued_at, outgoing_document.created_at) at time zone 'Asia/Ho_Chi_Minh')::date`;

/**
 * Which documents one of the outgoing lists holds, as a condition on outgoing_document — the one rule of each
 * list, which its rows (listVisible, beside outgoingVisibleTo) and the home page's counts (countBoxes) both use.
 */
function boxCondition(eb: ExpressionBuilder<DB, 'outgoingDocument'>, box: WorkBox, actor: Actor): Expression<SqlBool> {
  switch (box) {
    case 'drafts':
      return eb.and([eb('outgoingDocument.createdBy', '=', actor.id), eb('outgoingDocument.status', 'in', ['draft', 'returned', 'in_review'])]);
    case 'review':
      return eb.and([eb('outgoingDocument.status', '=', 'in_review'), eb.exists(eb.selectFrom('outgoingReviewStep as rs').select('rs.id')
        .whereRef('rs.id', '=', 'outgoingDocument.currentStepId').where('rs.reviewerId', '=', actor.id))]);
    case 'signature':
      return eb.and([eb('outgoingDocument.status', '=', 'awaiting_signature'), eb.or([
        eb('outgoingDocument.signerId', '=', actor.id),
        eb.exists(eb.selectFrom('outgoingDelegation as dl').select('dl.id').whereRef('dl.fromUserId', '=', 'outgoingDocument.signerId')
          .where('dl.toUserId', '=', actor.id).where('dl.revokedAt', 'is', null).where('dl.startsOn', '<=', VN_TODAY).where('dl.endsOn', '>=', VN_TODAY)),
      ])]);
    case 'to_issue':
      return eb('outgoingDocument.status', '=', 'signed');
    case 'issued':
      return eb('outgoingDocument.status', 'in', ['issued', 'recalled', 'replaced']);
    case 'all':
      return eb.lit(true);
  }
}

/** All SQL of the outgoing flow. */
export const outgoingRepo = {
  insert: (db: Db, values: Insertable<OutgoingDocument>) => db.insertInto('outgoingDocument')
    .values({ ...values, searchText: outgoingSearchTextOf({ subject: values.subject, number: values.number ?? null, notation: values.notation ?? null }) })
    .returningAll().executeTakeFirstOrThrow(),
  findById: (db: Db, id: string) => db.selectFrom('outgoingDocument').selectAll().where('id', '=', id).executeTakeFirst(),
  findForUpdate: (db: Db, id: string) => db.selectFrom('outgoingDocument').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  /** Stores the text of the issued main PDF and re-indexes the document with it, whatever its status now. */
  setContentText: async (db: Db, id: string, contentText: string) => {
    const doc = await db.selectFrom('outgoingDocument').select(['subject', 'number', 'notation']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (doc) await db.updateTable('outgoingDocument').set({ contentText, searchText: outgoingSearchTextOf({ ...doc, contentText }) }).where('id', '=', id).execute();
  },
  /** Updates a document only if it is still in `fromStatus` (catches concurrent changes); undefined otherwise. */
  update: async (db: Db, id: string, fromStatus: string, values: Updateable<OutgoingDocument>) => {
    const updated = await db.updateTable('outgoingDocument').set({ ...values, updatedAt: new Date() }).where('id', '=', id).where('status', '=', fromStatus)
      .returningAll().executeTakeFirst();
    if (!updated || !SEARCHED.some((column) => values[column] !== undefined)) return updated;
    // the search text follows the new trích yếu or số/ký hiệu (made in the app: see search-text.ts)
    return db.updateTable('outgoingDocument').set({ searchText: outgoingSearchTextOf(updated) }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  listVisible: (db: Db, actor: Actor, q: ListOutgoingQuery) => {
    let query = db.selectFrom('outgoingDocument').selectAll('outgoingDocument').where(outgoingVisibleTo(actor)).where((eb) => boxCondition(eb, q.box, actor));
    const words = q.search?.trim();
    if (words) query = query.where(matchesWords('outgoing_document', words));
    if (q.status) query = query.where('status', '=', q.status);
    if (q.from) query = query.where(OUTGOING_DAY, '>=', q.from);
    if (q.to) query = query.where(OUTGOING_DAY, '<=', q.to);
    if (q.typeCode) query = query.where('typeCode', '=', q.typeCode);
    // relevance without words is the usual order below; its ties go newest first, as «Mới nhất»
    if (q.order === 'relevance' && words) for (const term of [...relevanceOf('outgoing_document', words), OUTGOING_DAY]) query = query.orderBy(term, 'desc');
    if (q.order === 'newest' || q.order === 'oldest') query = query.orderBy(OUTGOING_DAY, q.order === 'newest' ? 'desc' : 'asc');
    return query.orderBy('updatedAt', 'desc').limit(q.limit).offset(q.offset).execute();
  },
  /**
   * How many documents each of the given lists holds, in one statement: a filtered count per list over the documents
   * visible to the actor (outgoingVisibleTo) that are in any of them, by the lists' own rule (boxCondition).
   */
  countBoxes: async <B extends WorkBox>(db: Db, actor: Actor, boxes: readonly B[]): Promise<Partial<Record<B, { count: number }>>> => {
    // the archivist and the admin have no outgoing work list: nothing to ask
    if (boxes.length === 0) return {};
    // aliases by position: a list's name with an underscore (to_issue) would come back camel-cased
    const row: Record<string, unknown> = await db.selectFrom('outgoingDocument').where(outgoingVisibleTo(actor))
      .where((eb) => eb.or(boxes.map((box) => boxCondition(eb, box, actor))))
      .select((eb) => boxes.map((box, i) => eb.fn.countAll<string>().filterWhere(boxCondition(eb, box, actor)).as(`c${i}`)))
      .executeTakeFirstOrThrow();
    return Object.fromEntries(boxes.map((box, i) => [box, { count: Number(row[`c${i}`]) }])) as Partial<Record<B, { count: number }>>;
  },

  insertStep: (db: Db, v: { outgoingId: string; round: number; seq: number; reviewerId: string; version: number }) =>
    db.insertInto('outgoingReviewStep').values(v).returningAll().executeTakeFirstOrThrow(),
  listSteps: (db: Db, outgoingId: string) =>
    db.selectFrom('outgoingReviewStep').selectAll().where('outgoingId', '=', outgoingId).orderBy('round').orderBy('seq').execute(),
  findStep: (db: Db, id: string) => db.selectFrom('outgoingReviewStep').selectAll().where('id', '=', id).executeTakeFirst(),
  nextStep: (db: Db, outgoingId: string, round: number, afterSeq: number) =>
    db.selectFrom('outgoingReviewStep').selectAll().where('outgoingId', '=', outgoingId).where('round', '=', round)
      .where('seq', '>', afterSeq).where('status', '=', 'pending').orderBy('seq').limit(1).executeTakeFirst(),
  actStep: (db: Db, id: string, v: { status: 'approved' | 'returned' | 'forwarded' | 'cancelled'; comment?: string; page?: number | null }) =>
    db.updateTable('outgoingReviewStep').set({ ...v, actedAt: new Date() }).where('id', '=', id).where('status', '=', 'pending').execute(),
  cancelPendingSteps: (db: Db, outgoingId: string) =>
    db.updateTable('outgoingReviewStep').set({ status: 'cancelled', actedAt: new Date() }).where('outgoingId', '=', outgoingId).where('status', '=', 'pending').execute(),
  shiftSteps: (db: Db, outgoingId: string, round: number, afterSeq: number) =>
    db.updateTable('outgoingReviewStep').set((eb) => ({ seq: eb('seq', '+', 1) })).where('outgoingId', '=', outgoingId)
      .where('round', '=', round).where('seq', '>', afterSeq).execute(),
  reviewerIds: async (db: Db, outgoingId: string) =>
    (await db.selectFrom('outgoingReviewStep').select('reviewerId').distinct().where('outgoingId', '=', outgoingId).execute()).map((r) => r.reviewerId),
  /** The chain a document of this type uses: the type's own, else the agency's general one ('' sorts last). */
  chainOf: (db: Db, agencyId: string, typeCode: string) =>
    db.selectFrom('outgoingReviewChain').selectAll().where('agencyId', '=', agencyId).where('typeCode', 'in', [typeCode, ''])
      .orderBy('typeCode', 'desc').limit(1).executeTakeFirst(),
  listChains: (db: Db, agencyId: string) => db.selectFrom('outgoingReviewChain').selectAll().where('agencyId', '=', agencyId).orderBy('typeCode').execute(),
  saveChain: (db: Db, v: { agencyId: string; typeCode: string; steps: TChainStep[] }) => {
    const steps = JSON.stringify(v.steps);
    return db.insertInto('outgoingReviewChain').values({ agencyId: v.agencyId, typeCode: v.typeCode, steps })
      .onConflict((oc) => oc.columns(['agencyId', 'typeCode']).doUpdateSet({ steps, updatedAt: new Date() })).returningAll().executeTakeFirstOrThrow();
  },
  deleteChain: (db: Db, agencyId: string, typeCode: string) =>
    db.deleteFrom('outgoingReviewChain').where('agencyId', '=', agencyId).where('typeCode', '=', typeCode).executeTakeFirst(),

  insertRecipients: (db: Db, rows: Insertable<OutgoingRecipient>[]) =>
    rows.length ? db.insertInto('outgoingRecipient').values(rows).returningAll().execute() : Promise.resolve([] as RecipientRow[]),
  deleteRecipients: (db: Db, outgoingId: string) => db.deleteFrom('outgoingRecipient').where('outgoingId', '=', outgoingId).execute(),
  listRecipients: (db: Db, outgoingId: string) =>
    db.selectFrom('outgoingRecipient').selectAll().where('outgoingId', '=', outgoingId).orderBy('kind').orderBy('name').execute(),
  /**
   * A document's recipients, locked, in listRecipients' order: what a recall or an update reads before it
   * writes their states. Locked before the audit chain's lock, as the connector's status intake locks them
   * (connector.repository externalRecipientsOfDocumentsForUpdate): the other order deadlocks, and an unlocked
   * read would write back a stale status over one that arrived meanwhile.
   */
  listRecipientsForUpdate: (db: Db, outgoingId: string) =>
    db.selectFrom('outgoingRecipient').selectAll().where('outgoingId', '=', outgoingId).orderBy('kind').orderBy('name').forUpdate().execute(),
  findRecipientForUpdate: (db: Db, outgoingId: string, agencyId: string) =>
    db.selectFrom('outgoingRecipient').selectAll().where('outgoingId', '=', outgoingId).where('agencyId', '=', agencyId).forUpdate().executeTakeFirst(),
  updateRecipient: (db: Db, id: string, v: Updateable<OutgoingRecipient>) =>
    db.updateTable('outgoingRecipient').set(v).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
  /** Recipients' status events, in one statement. */
  insertRecipientEvents: (db: Db, rows: readonly { recipientId: string; code: string; at: Date; description: string }[]) =>
    rows.length === 0 ? Promise.resolve() : db.insertInto('outgoingRecipientEvent').values([...rows]).execute().then(() => undefined),
  /** Several recipients' latest status and recall state, in one statement. */
  updateRecipientStates: async (db: Db, rows: readonly { id: string; statusCode?: string | null; statusAt: Date | null; recallCode?: string | null; recallAt: Date | null }[]) => {
    if (rows.length === 0) return;
    const values = rows.map((r) => sql`(${r.id}::uuid, ${r.statusCode ?? null}::text, ${r.statusAt}::timestamptz, ${r.recallCode ?? null}::text, ${r.recallAt}::timestamptz)`);
    // Raw SQL: an UPDATE … FROM (VALUES …) sets each row's own values.
    await sql`update outgoing_recipient r set status_code = v.status_code, status_at = v.status_at, recall_code = v.recall_code, recall_at = v.recall_at
      from (values ${sql.join(values)}) as v(id, status_code, status_at, recall_code, recall_at) where r.id = v.id`.execute(db);
  },
  listRecipientEvents: (db: Db, outgoingId: string) =>
    db.selectFrom('outgoingRecipientEvent as e').innerJoin('outgoingRecipient as r', 'r.id', 'e.recipientId')
      .select(['e.recipientId', 'e.code', 'e.at', 'e.description']).where('r.outgoingId', '=', outgoingId).orderBy('e.at').orderBy('e.id').execute(),

  activeDelegateIds: async (db: Db, fromUserId: string | null) => {
    if (!fromUserId) return [];
    const rows = await db.selectFrom('outgoingDelegation').select('toUserId').where('fromUserId', '=', fromUserId).where('revokedAt', 'is', null)
      .where('startsOn', '<=', VN_TODAY).where('endsOn', '>=', VN_TODAY).execute();
    return rows.map((r) => r.toUserId);
  },
  /** A delegation from `fromUserId` to `toUserId` still in force whose days meet [startsOn, endsOn], if any. */
  overlappingDelegation: (db: Db, v: { fromUserId: string; toUserId: string; startsOn: string; endsOn: string }) =>
    db.selectFrom('outgoingDelegation').select(['id', 'startsOn', 'endsOn']).where('fromUserId', '=', v.fromUserId).where('toUserId', '=', v.toUserId)
      .where('revokedAt', 'is', null).where('startsOn', '<=', v.endsOn).where('endsOn', '>=', v.startsOn).orderBy('startsOn').limit(1).executeTakeFirst(),
  insertDelegation: (db: Db, v: { agencyId: string; fromUserId: string; toUserId: string; startsOn: string; endsOn: string }) =>
    db.insertInto('outgoingDelegation').values(v).returningAll().executeTakeFirstOrThrow(),
  /** The delegations given by or to a user that are not revoked and not over yet, with both people's names. */
  listDelegations: (db: Db, userId: string) =>
    db.selectFrom('outgoingDelegation as d').innerJoin('appUser as f', 'f.id', 'd.fromUserId').innerJoin('appUser as t', 't.id', 'd.toUserId')
      .select(['d.id', 'd.fromUserId', 'd.toUserId', 'd.startsOn', 'd.endsOn', 'd.createdAt', 'f.fullName as fromName', 'f.position as fromPosition', 't.fullName as toName', 't.position as toPosition'])
      .where((eb) => eb.or([eb('d.fromUserId', '=', userId), eb('d.toUserId', '=', userId)]))
      .where('d.revokedAt', 'is', null).where('d.endsOn', '>=', VN_TODAY).orderBy('d.startsOn').execute(),
  /** The delegation under which `toUserId` signs for `fromUserId` today, if any. */
  activeDelegation: (db: Db, fromUserId: string, toUserId: string) =>
    db.selectFrom('outgoingDelegation').selectAll().where('fromUserId', '=', fromUserId).where('toUserId', '=', toUserId).where('revokedAt', 'is', null)
      .where('startsOn', '<=', VN_TODAY).where('endsOn', '>=', VN_TODAY).orderBy('endsOn', 'desc').limit(1).executeTakeFirst(),
  revokeDelegation: (db: Db, id: string, fromUserId: string) =>
    db.updateTable('outgoingDelegation').set({ revokedAt: new Date() }).where('id', '=', id).where('fromUserId', '=', fromUserId)
      .where('revokedAt', 'is', null).returningAll().executeTakeFirst(),

  insertOutbox: (db: Db, v: { outgoingId: string; recipientAgencyCode: string; packageKind: 'edoc' | 'status'; businessDocType: number; payload: unknown }) =>
    db.insertInto('exchangeOutbox').values({ ...v, payload: JSON.stringify(v.payload) }).returningAll().executeTakeFirstOrThrow(),
  /**
   * Per document: its recipients counted (RecipientCounts). A unit of the agency itself has nobody to answer a
   * recall — its members simply may no longer open the document — so once asked (13) it counts as agreed; a
   * recipient that had refused the document (02) owes no answer (older recalls wrote 13 to it too).
   */
  recipientCounts: async (db: Db, outgoingIds: string[]) => {
    if (outgoingIds.length === 0) return new Map<string, RecipientCounts>();
    const rows = await db.selectFrom('outgoingRecipient').select((eb) => [
      'outgoingId', eb.fn.countAll<number>().as('total'),
      eb.fn.count<number>('statusCode').as('delivered'),
      eb.fn.count<number>(eb.case().when('statusCode', 'in', ['03', '04', '05', '06']).then(1).end()).as('registered'),
      eb.fn.count<number>(eb.case().when('statusCode', '=', '06').then(1).end()).as('done'),
      eb.fn.count<number>(eb.case().when('statusCode', '=', '02').then(1).end()).as('refused'),
      eb.fn.count<number>(eb.case().when(eb.or([eb('recallCode', '=', '15'), eb.and([eb('recallCode', '=', '13'), eb('kind', '=', 'unit')])])).then(1).end()).as('agreed'),
      eb.fn.count<number>(eb.case().when('recallCode', '=', '16').then(1).end()).as('disagreed'),
      eb.fn.count<number>(eb.case().when(eb.and([eb('recallCode', '=', '13'), eb('kind', '!=', 'unit'), eb('statusCode', 'is distinct from', '02')])).then(1).end()).as('awaiting'),
    ]).where('outgoingId', 'in', outgoingIds).groupBy('outgoingId').execute();
    return new Map(rows.map((r) => [r.outgoingId, {
      total: Number(r.total), delivered: Number(r.delivered), registered: Number(r.registered), done: Number(r.done), refused: Number(r.refused),
      agreed: Number(r.agreed), disagreed: Number(r.disagreed), awaiting: Number(r.awaiting),
    }]));
  },
  /** The drafts and documents that replace a document (not cancelled), newest first. */
  listReplacements: (db: Db, id: string) =>
    db.selectFrom('outgoingDocument').select(['id', 'status', 'number', 'notation', 'subject']).where('replacesId', '=', id).where('status', '!=', 'cancelled').orderBy('createdAt', 'desc').execute(),
  /** The incoming document an agency on this install got for a document (to take it out when replaced). */
  deliveredIncomingId: async (db: Db, outgoingId: string, agencyId: string) =>
    (await db.selectFrom('outgoingRecipient').select('incomingId').where('outgoingId', '=', outgoingId).where('agencyId', '=', agencyId).executeTakeFirst())?.incomingId ?? null,
  listOutbox: (db: Db, outgoingId: string) => db.selectFrom('exchangeOutbox').selectAll().where('outgoingId', '=', outgoingId).orderBy('createdAt').execute(),

  insertSession: (db: Db, v: { userId: string; items: unknown; expiresAt: Date }) =>
    db.insertInto('outgoingSigningSession').values({ ...v, items: JSON.stringify(v.items) }).returningAll().executeTakeFirstOrThrow(),
  findSessionForUpdate: (db: Db, id: string) => db.selectFrom('outgoingSigningSession').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  finishSession: (db: Db, id: string) => db.updateTable('outgoingSigningSession').set({ finishedAt: new Date() }).where('id', '=', id).execute(),

  /** Issued documents whose PDF text is not stored (issued before it was read for search, or read empty), the next `limit` after `after` in id order. */
  unreadIssued: async (db: Db, after: string | undefined, limit: number) => {
    let query = db.selectFrom('outgoingDocument').select('id').where('issuedAt', 'is not', null).where('contentText', '=', '').orderBy('id').limit(limit);
    if (after) query = query.where('id', '>', after);
    return (await query.execute()).map((r) => r.id);
  },
  /** The outgoing register (sổ đăng ký văn bản đi): issued documents of an agency, in number order. */
  listRegister: (db: Db, actor: Actor, q: { year: number; isSecret?: boolean; from?: string; to?: string; typeCode?: string; search?: string }) => {
    let query = db.selectFrom('outgoingDocument').selectAll().where(outgoingVisibleTo(actor)).where('agencyId', '=', actor.agencyId)
      .where('year', '=', q.year).where('number', 'is not', null);
    if (q.isSecret !== undefined) query = query.where('isSecret', '=', q.isSecret);
    if (q.from) query = query.where('issuedAt', '>=', new Date(`${q.from}T00:00:00+07:00`));
    if (q.to) query = query.where('issuedAt', '<', new Date(new Date(`${q.to}T00:00:00+07:00`).getTime() + 86_400_000));
    if (q.typeCode) query = query.where('typeCode', '=', q.typeCode);
    if (q.search?.trim()) query = query.where(matchesWords('outgoing_document', q.search));
    return query.orderBy('isSecret').orderBy('number').execute();
  },
};

/** Reads of units, agencies and the axis agency list the flow needs; people come from the users directory (users.directory.ts). */
export const directoryRepo = {
  /** A unit: a recipient, or the drafting unit whose short name a Công văn's ký hiệu carries. */
  findUnit: (db: Db, id: string) => db.selectFrom('unit').select(['id', 'agencyId', 'name', 'shortName']).where('id', '=', id).executeTakeFirst(),
  findAgency: (db: Db, id: string) => db.selectFrom('agency').selectAll().where('id', '=', id).executeTakeFirst(),
  findAgencyByCode: (db: Db, code: string) => db.selectFrom('agency').selectAll().where('code', '=', code).executeTakeFirst(),
  /** An external agency from the directory the exchange connector syncs from the axis. */
  findDirectoryAgency: (db: Db, code: string) =>
    db.selectFrom('exchangeDirectoryAgency').select(['code', 'name']).where('code', '=', code).where('isDeleted', '=', false).executeTakeFirst(),
};

/** The audit rows of one document (its history timeline). */
export const historyRepo = {
  /** With the actor's full name, position and unit as they are now (the audit row keeps the login name). */
  forDocument: (db: Db, id: string) =>
    db.selectFrom('auditLog').leftJoin('appUser as u', 'u.id', 'auditLog.actorId').leftJoin('unit', 'unit.id', 'u.unitId')
      .select(['auditLog.id', 'auditLog.at', 'auditLog.actorId', 'auditLog.actorName', 'auditLog.type', 'auditLog.data', 'u.fullName as actorFullName', 'u.position as actorPosition', 'unit.name as actorUnit'])
      .where('auditLog.entityType', '=', 'outgoing').where('auditLog.entityId', '=', id).orderBy('auditLog.id').execute(),
};
