import { sql, type Expression, type ExpressionBuilder, type Insertable, type Selectable, type SelectQueryBuilder, type SqlBool, type Updateable } from 'kysely';
import type { DB, Db } from '../../platform/db/client.ts';
import type { IncomingDocument } from '../../platform/db/types.gen.ts';
import { incomingVisibleTo } from '../../policies/incoming.ts';
import { vietnamDay } from '../../platform/dates.ts';
import type { Actor } from '../../policies/actor.ts';
import type { INCOMING_BOXES, TListIncomingQuery } from './incoming.schemas.ts';
import { ENDED_STATUSES } from './incoming.status.ts';
import { codeWords, documentSearchText } from '../documents/search-text.ts';
import { matchesWords, relevanceOf } from '../documents/search-text.repository.ts';
import { toneVariants } from '../search/tone-variants.ts';

export type IncomingRow = Selectable<IncomingDocument>;
type DocColumns = Exclude<keyof IncomingRow, 'searchVector'>;

// Every column but the tsvector (large and useless to the app).
const COLUMNS = [
  'id', 'agencyId', 'source', 'status', 'registerId', 'arrivalYear', 'arrivalNumber', 'arrivedAt', 'registeredAt', 'registeredBy',
  'issuerName', 'issuerCode', 'issuerAgencyId', 'number', 'notation', 'documentDate', 'typeCode', 'subject', 'urgency', 'secrecy',
  'isSecret', 'pageCount', 'signerName', 'signerPosition', 'dueDate', 'notes', 'duplicateOfId', 'refusedReason', 'sourceOutgoingId',
  'externalDocumentId', 'ocrStatus', 'ocrError', 'ocrText', 'searchText', 'verifyStatus', 'verifyReport', 'forwardedTo', 'forwardedAt',
  'direction', 'directedBy', 'directedAt', 'closedAt', 'closedBy', 'createdBy', 'createdAt', 'updatedAt',
] as const satisfies readonly DocColumns[];
const D = COLUMNS.map((c) => `incomingDocument.${c}` as const);
const LISTED = D.filter((c) => c !== 'incomingDocument.ocrText' && c !== 'incomingDocument.searchText');

export type IncomingDoc = Omit<IncomingRow, 'searchVector'>;
type IncomingBox = (typeof INCOMING_BOXES)[number];
/** A query of the senders' requests counting them: one row, one column. */
type RequestCountQuery = SelectQueryBuilder<DB, 'exchangeRequest', { n: string }>;

/**
 * The text a document is found by (indexedText: also without diacritics): its metadata, with the số/ký
 * hiệu whole and in parts (codeWords), as the header that ranks first, then its OCR text as the body.
 */
export function searchTextOf(d: { issuerName?: string; number?: string; notation?: string; subject?: string; signerName?: string; notes?: string; ocrText?: string | null }): string {
  return documentSearchText([d.issuerName, ...codeWords([d.number], d.notation), d.subject, d.signerName, d.notes], [d.ocrText]);
}

// urgent first (Hỏa tốc … Khẩn), then newest: every list uses this order
const urgencyRank = sql<number>`case incoming_document.urgency when 'hoa_toc_hen_gio' then 4 when 'hoa_toc' then 3 when 'thuong_khan' then 2 when 'khan' then 1 else 0 end`;

export const incomingRepo = {
  insert: (db: Db, values: Insertable<IncomingDocument>) => db.insertInto('incomingDocument').values(values).returning(COLUMNS).executeTakeFirstOrThrow(),
  /** New documents in one statement, returned in the order given. */
  insertMany: async (db: Db, rows: readonly (Insertable<IncomingDocument> & { id: string })[]) => {
    if (rows.length === 0) return [];
    const byId = new Map((await db.insertInto('incomingDocument').values([...rows]).returning(COLUMNS).execute()).map((d) => [d.id, d]));
    return rows.map((r) => byId.get(r.id) as IncomingDoc);
  },
  findById: (db: Db, id: string) => db.selectFrom('incomingDocument').select(COLUMNS).where('id', '=', id).executeTakeFirst(),
  findForUpdate: (db: Db, id: string) => db.selectFrom('incomingDocument').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst(),
  /** Updates a row still in status `from` (null: any); undefined when another change got there first. */
  update: (db: Db, id: string, from: string | null, values: Updateable<IncomingDocument>) => {
    let q = db.updateTable('incomingDocument').set({ ...values, updatedAt: new Date() }).where('id', '=', id);
    if (from) q = q.where('status', '=', from);
    return q.returning(COLUMNS).executeTakeFirst();
  },
  /**
   * Flags each document as a likely duplicate of another of its agency with the same issuer, số, ký hiệu
   * and date (Art. 22 duplicate check; refused ones do not count; spaces and the số's leading zeros are
   * ignored, the ký hiệu's case too), in one statement for a batch: the issuer
   * is matched by each key (code, then name) against the issuer code or name, a match on an earlier key
   * wins, then the oldest. A document of the batch is compared with those before it in the batch (as if
   * taken in one after the other), never with one after it. Returns the flagged ones.
   */
  flagDuplicates: async (db: Db, docs: readonly { id: string; agencyId: string; issuerKeys: readonly (string | null | undefined)[]; number: string; notation: string; documentDate: string }[]) => {
    const rows = docs.flatMap((d, ord) => {
      const [k0 = null, k1 = null] = d.issuerKeys.filter((k): k is string => !!k);
      if (!k0) return [];
      return [sql`(${d.id}::uuid, ${ord}::int, ${d.agencyId}::uuid, ${d.number}::text, ${d.notation}::text, ${d.documentDate}::date, ${k0}::text, ${k1}::text)`];
    });
    if (rows.length === 0) return [];
    // Raw SQL: an UPDATE … FROM over a VALUES list with a correlated, ranked lookup per row.
    const result = await sql<{ id: string; duplicateOfId: string; updatedAt: Date }>`
      with given(id, ord, agency_id, number, notation, document_date, k0, k1) as (values ${sql.join(rows)}),
      -- The key made by PostgreSQL on both sides, by the function incoming_document_dup_key_idx indexes (its lower() follows
      -- the database's locale); compared as one value, so that no other index of the agency can be taken for the lookup.
      v as (select id, ord, k0, k1, lower(k0) as k0_lower, lower(k1) as k1_lower, incoming_dup_key(agency_id, document_date, number, notation) as dup_key from given),
      found as (
        select v.id, (
          select c.id from incoming_document c
          where incoming_dup_key(c.agency_id, c.document_date, c.number, c.notation) = v.dup_key
            and c.id <> v.id and c.status <> 'refused'
            and (c.issuer_code = v.k0 or lower(c.issuer_name) = v.k0_lower or c.issuer_code = v.k1 or lower(c.issuer_name) = v.k1_lower)
            and c.id not in (select later.id from v later where later.ord > v.ord)
          -- the original, not another copy of it: documents received in one transaction share their created_at
          order by case when c.issuer_code = v.k0 or lower(c.issuer_name) = v.k0_lower then 0 else 1 end, c.duplicate_of_id is not null, c.created_at
          limit 1) as duplicate_of_id
        from v)
      update incoming_document d set duplicate_of_id = found.duplicate_of_id, updated_at = now()
      from found where d.id = found.id and found.duplicate_of_id is not null
      returning d.id, d.duplicate_of_id, d.updated_at`.execute(db);
    return result.rows;
  },
  list: (db: Db, actor: Actor, q: TListIncomingQuery) => {
    // A list shows no OCR or search text (each can be megabytes): only a scan waiting to be registered
    // brings its OCR text, which its title is read from (presentIncoming's ocrGuess).
    let query = db.selectFrom('incomingDocument').select(LISTED).where(incomingVisibleTo(actor)).where((eb) => boxCondition(eb, q.box, actor));
    if (q.status) query = query.where('incomingDocument.status', '=', q.status);
    if (q.q) query = query.where(matchesWords('incoming_document', q.q));
    if (q.from) query = query.where(INCOMING_DAY, '>=', q.from);
    if (q.to) query = query.where(INCOMING_DAY, '<=', q.to);
    if (q.typeCode) query = query.where('incomingDocument.typeCode', '=', q.typeCode);
    // the name as typed, its tone marks placed either way («Thái Hoà» finds «Thái Hòa»: toneVariants)
    if (q.issuer) {
      const names = toneVariants(q.issuer.trim().toLowerCase().normalize('NFC'));
      query = query.where((eb) => eb.or(names.map((name) => eb('incomingDocument.issuerName', 'ilike', `%${name.replace(/[\\%_]/g, '\\$&')}%`))));
    }
    // relevance without words is the usual order below; its ties go newest first, as «Mới nhất»
    if (q.order === 'relevance' && q.q) for (const term of [...relevanceOf('incoming_document', q.q), INCOMING_DAY]) query = query.orderBy(term, 'desc');
    if (q.order === 'newest' || q.order === 'oldest') query = query.orderBy(INCOMING_DAY, q.order === 'newest' ? 'desc' : 'asc');
    return query
      .select([
        sql<string | null>`case when incoming_document.source = 'paper' and incoming_document.status = 'received' then incoming_document.ocr_text end`.as('ocrText'),
        sql<string>`''`.as('searchText'),
        sql<boolean>`coalesce(incoming_document.ocr_text, '') <> ''`.as('hasOcrText'),
      ])
      // the leader a document forwarded for direction waits for, named in the same query (no lookup per row)
      .leftJoin('appUser as waitingLeader', (join) => join.onRef('waitingLeader.id', '=', 'incomingDocument.forwardedTo')
        .on('incomingDocument.status', '=', 'forwarded'))
      .select(['waitingLeader.fullName as waitingForName', 'waitingLeader.position as waitingForPosition'])
      // the scan's file name tells unregistered paper documents apart (document_file_owner_idx)
      .select((eb) => eb.selectFrom('documentFile').select('documentFile.fileName')
        .where('documentFile.ownerType', '=', 'incoming').whereRef('documentFile.ownerId', '=', 'incomingDocument.id')
        .where('documentFile.kind', '=', 'scan').limit(1).as('scanFileName'))
      .orderBy(urgencyRank, 'desc').orderBy('incomingDocument.arrivedAt', 'desc').orderBy('incomingDocument.id')
      .limit(q.limit).offset(q.offset).execute();
  },
  /**
   * How many documents each of the given lists holds and how many of them are overdue (open, their deadline before
   * today: presentIncoming's isOverdue), in one statement: a filtered count per list over the documents visible to
   * the actor (incomingVisibleTo) that are in any of them, by the lists' own rule (boxCondition); with `requests`,
   * the senders' requests that query counts (requestsRepo.pendingCount) are counted in the same statement.
   */
  countBoxes: async <B extends IncomingBox>(db: Db, actor: Actor, boxes: readonly B[], o: { today?: string; requests?: RequestCountQuery } = {}) => {
    const today = o.today ?? vietnamDay();
    const isOverdue = (eb: ExpressionBuilder<DB, 'incomingDocument'>) =>
      eb.and([eb('incomingDocument.status', 'not in', ENDED_STATUSES), eb('incomingDocument.dueDate', '<', today)]);
    // aliases by position: a list's name with an underscore (outgoing's to_issue) would come back camel-cased
    const row: Record<string, unknown> = await db.selectFrom('incomingDocument').where(incomingVisibleTo(actor, today))
      .where((eb) => eb.or(boxes.map((box) => boxCondition(eb, box, actor, today))))
      .select((eb) => boxes.flatMap((box, i) => [
        eb.fn.countAll<string>().filterWhere(boxCondition(eb, box, actor, today)).as(`c${i}`),
        eb.fn.countAll<string>().filterWhere(eb.and([boxCondition(eb, box, actor, today), isOverdue(eb)])).as(`o${i}`),
      ]))
      .$if(!!o.requests, (q) => q.select(() => (o.requests as RequestCountQuery).as('requests')))
      .executeTakeFirstOrThrow();
    return {
      boxes: Object.fromEntries(boxes.map((box, i) => [box, { count: Number(row[`c${i}`]), overdue: Number(row[`o${i}`]) }])) as Partial<Record<B, { count: number; overdue: number }>>,
      requests: o.requests ? Number(row.requests) : null,
    };
  },
  /**
   * Electronic documents received before their main PDF was read for search (ocr_status 'none': not
   * refused, with a main PDF — by type or `.pdf` name, as mainPdfOf), the next `limit` after `after` in id
   * order: marked 'pending' for the text job in the same statement, their ids returned in id order.
   */
  markUnreadElectronic: async (db: Db, after: string | undefined, limit: number) => {
    let unread = db.selectFrom('incomingDocument as d').select('d.id')
      .where('d.source', '!=', 'paper').where('d.ocrStatus', '=', 'none').where('d.status', '!=', 'refused')
      // document_file_owner_idx
      .where((eb) => eb.exists(eb.selectFrom('documentFile as f').select('f.id').where('f.ownerType', '=', 'incoming').whereRef('f.ownerId', '=', 'd.id')
        .where('f.kind', '=', 'main').where((f) => f.or([f('f.contentType', '=', 'application/pdf'), f('f.fileName', 'ilike', '%.pdf')]))))
      .orderBy('d.id').limit(limit);
    if (after) unread = unread.where('d.id', '>', after);
    const rows = await db.updateTable('incomingDocument').set({ ocrStatus: 'pending' }).where('id', 'in', unread).where('ocrStatus', '=', 'none').returning('id').execute();
    return rows.map((r) => r.id).sort();
  },
  /** One year's register book in số đến order (the Mật series separately), each with the leader who directed it or it was forwarded to (one query). */
  registerBook: (db: Db, o: BookScope) =>
    db.selectFrom('incomingDocument').select(D)
      .leftJoin('appUser as directedLeader', 'directedLeader.id', 'incomingDocument.directedBy')
      .leftJoin('appUser as forwardedLeader', 'forwardedLeader.id', 'incomingDocument.forwardedTo')
      .select(['directedLeader.fullName as directedByName', 'directedLeader.position as directedByPosition',
        'forwardedLeader.fullName as forwardedToName', 'forwardedLeader.position as forwardedToPosition'])
      .where(inRegisterBook(o)).orderBy('incomingDocument.registerId').orderBy('incomingDocument.arrivalNumber').execute(),
  /** The incoming documents some outgoing replies answer (their ResponseFor), each with the reply's id; one query for a sending round. */
  answeredBy: (db: Db, outgoingIds: readonly string[]) => outgoingIds.length === 0 ? Promise.resolve([]) :
    db.selectFrom('incomingProgress').innerJoin('incomingDocument', 'incomingDocument.id', 'incomingProgress.incomingId')
      .select(['incomingProgress.responseOutgoingId', 'incomingDocument.id', 'incomingDocument.issuerCode', 'incomingDocument.issuerName', 'incomingDocument.number',
        'incomingDocument.notation', 'incomingDocument.documentDate', 'incomingDocument.externalDocumentId', 'incomingDocument.sourceOutgoingId'])
      .where('incomingProgress.responseOutgoingId', 'in', [...outgoingIds]).distinct().execute(),
  /** The audit rows of one document: its timeline (who — with the person's full name, what, when). */
  timeline: (db: Db, id: string) =>
    db.selectFrom('auditLog').leftJoin('appUser as u', 'u.id', 'auditLog.actorId')
      .select(['auditLog.id', 'auditLog.at', 'auditLog.actorId', 'auditLog.actorName', 'u.fullName as actorFullName', 'auditLog.type', 'auditLog.data'])
      .where('auditLog.entityType', '=', 'incoming').where('auditLog.entityId', '=', id).orderBy('auditLog.id').execute(),
};

/** One year's register book of an agency: the ordinary series or the Mật one. */
export type BookScope = { agencyId: string; year: number; isSecret: boolean };
/** The documents a register book lists: given a số đến in that year and series. */
export const inRegisterBook = (o: BookScope) => (eb: ExpressionBuilder<DB, 'incomingDocument'>) => eb.and([
  eb('incomingDocument.agencyId', '=', o.agencyId), eb('incomingDocument.arrivalYear', '=', o.year),
  eb('incomingDocument.isSecret', '=', o.isSecret), eb('incomingDocument.arrivalNumber', 'is not', null),
]);

/** A document's day for the search page's date range and order: its own date, or the Vietnamese day it arrived when it has none. Raw SQL: a time-zone cast. */
const INCOMING_DAY = sql<string>`coalesce(incoming_document.document_date, (incoming_document.arrived_at at time zone 'Asia/Ho_Chi_Minh')::date)`;

/**
 * Whether a unit's part was passed on by the unit's head to people of the unit (reassignInUnit, which takes
 * the head's «Được giao xử lý» back by the same rule): an active part under it to handle — under a part for
 * information, any. The work is then theirs; the head follows it («Đang theo dõi»). Raw SQL: the part is a
 * correlated reference its callers alias differently; the document's id leads to incoming_assignment_doc_idx.
 */
export const isPassedOn = (part: 'a' | 'incomingAssignment') => sql<boolean>`exists (
  select 1 from incoming_assignment passed where passed.incoming_id = ${sql.ref(`${part}.incomingId`)} and passed.is_active
    and passed.parent_id = ${sql.ref(`${part}.id`)} and (passed.role <> 'info' or ${sql.ref(`${part}.role`)} = 'info'))`;

/**
 * Which documents one of the incoming lists holds, as a condition on incoming_document — the one rule of each
 * list, which its rows (list, beside incomingVisibleTo) and the home page's counts (countBoxes) both use.
 */
function boxCondition(eb: ExpressionBuilder<DB, 'incomingDocument'>, box: IncomingBox, actor: Actor, today = vietnamDay()): Expression<SqlBool> {
  const activeAssignment = (userOrUnit: 'userId' | 'unitId', id: string, passedOn?: boolean) => {
    let part = eb.selectFrom('incomingAssignment as a').select('a.id').whereRef('a.incomingId', '=', 'incomingDocument.id')
      .where('a.isActive', '=', true).where(`a.${userOrUnit}`, '=', id).where('a.status', '!=', 'done');
    if (passedOn !== undefined) part = part.where((ax) => (passedOn ? isPassedOn('a') : ax.not(isPassedOn('a'))));
    return eb.exists(part);
  };
  const isBeingHandled = eb('incomingDocument.status', 'in', ['assigned', 'in_progress']);
  switch (box) {
    case 'intake':
      return eb('incomingDocument.status', 'in', ['received', 'registered']);
    case 'direct':
      return eb.and([eb('incomingDocument.status', '=', 'forwarded'), eb.or([
        eb('incomingDocument.forwardedTo', '=', actor.id),
        eb('incomingDocument.forwardedTo', 'in', eb.selectFrom('incomingDelegation').select('leaderId').where('deputyId', '=', actor.id)
          .where('revokedAt', 'is', null).where('startsOn', '<=', today).where('endsOn', '>=', today)),
      ])]);
    case 'mine':
      return eb.and([isBeingHandled, activeAssignment('userId', actor.id)]);
    // the unit's parts its head has yet to pass on (or handles), and those passed on to its people, which the head follows
    case 'unit':
    case 'following':
      return actor.unitId ? eb.and([isBeingHandled, activeAssignment('unitId', actor.unitId, box === 'following')]) : eb.lit(false);
    case 'all':
      return eb.lit(true);
  }
}
