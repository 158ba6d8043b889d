import { sql, type ExpressionBuilder, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { DB, Db } from '../../platform/db/client.ts';
import type { IncomingDocument } from '../../platform/db/types.gen.ts';
import { incomingVisibleTo, vietnamToday } from '../../policies/incoming.ts';
import type { Actor } from '../../policies/actor.ts';
import type { TListIncomingQuery } from './incoming.schemas.ts';

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

export type IncomingDoc = Omit<IncomingRow, 'searchVector'>;

/** Lower-cased NFC text for the 'simple' text-search configuration (same on PGlite and PostgreSQL). */
export const normalizeSearch = (text: string): string => text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

// urgent first (Hỏa tốc … Khẩn), then newest: every list uses this order
const urgencyRank = sql<number>`case incoming_document.urgency when 'hoa_toc_hen_gio' then 4 when 'hoa_toc' then 3 when 'thuong_khan' then 2 when 'khan' then 1 else 0 end`;

export const incomingRepo = {
  insert: (db: Db, values: Insertable<IncomingDocument>) => db.insertInto('incomingDocument').values(values).returning(COLUMNS).executeTakeFirstOrThrow(),
  findById: (db: Db, id: string) => db.selectFrom('incomingDocument').select(COLUMNS).where('id', '=', id).executeTakeFirst(),
  findForUpdate: (db: Db, id: string) => db.selectFrom('incomingDocument').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst(),
  /** Updates a row still in status `from` (null: any); undefined when another change got there first. */
  update: (db: Db, id: string, from: string | null, values: Updateable<IncomingDocument>) => {
    let q = db.updateTable('incomingDocument').set({ ...values, updatedAt: new Date() }).where('id', '=', id);
    if (from) q = q.where('status', '=', from);
    return q.returning(COLUMNS).executeTakeFirst();
  },
  /**
   * A registered document of the same agency with the same issuer, notation and date (Art. 22 duplicate
   * check), in one query: the issuer is matched by each key (code, then name) against the issuer code or
   * name, and a match on an earlier key wins.
   */
  findDuplicate: (db: Db, o: { agencyId: string; issuerKeys: readonly (string | null | undefined)[]; notation: string; documentDate: string; exceptId: string }) => {
    const keys = o.issuerKeys.filter((k): k is string => !!k);
    if (keys.length === 0) return Promise.resolve(undefined);
    const matches = (eb: ExpressionBuilder<DB, 'incomingDocument'>, key: string) => eb.or([eb('issuerCode', '=', key), eb(sql<string>`lower(issuer_name)`, '=', key.toLowerCase())]);
    const rank = sql<number>`case when ${sql.join(keys.map((k, i) => sql`issuer_code = ${k} or lower(issuer_name) = ${k.toLowerCase()} then ${sql.lit(i)}`), sql` when `)} end`;
    return db.selectFrom('incomingDocument').select(['id', 'arrivalNumber', 'arrivalYear'])
      .where('agencyId', '=', o.agencyId).where('id', '!=', o.exceptId).where('status', '!=', 'refused')
      .where(sql<string>`lower(replace(notation, ' ', ''))`, '=', o.notation.replace(/\s+/g, '').toLowerCase())
      .where('documentDate', '=', o.documentDate)
      .where((eb) => eb.or(keys.map((k) => matches(eb, k))))
      .orderBy(rank).orderBy('createdAt').limit(1).executeTakeFirst();
  },
  /** In-app notices to every active user of an agency with a role, in one statement; returns who got one (with their mail address). */
  insertNoticesForRole: async (db: Db, o: { agencyId: string; role: string; incomingId: string; kind: string; message: string }) =>
    (await db.with('notified', (w) => w.insertInto('incomingNotice').columns(['userId', 'incomingId', 'kind', 'message'])
      .expression((eb) => eb.selectFrom('appUser').select((s) => [s.ref('appUser.id').as('userId'), sql.val(o.incomingId).as('incomingId'), sql.val(o.kind).as('kind'), sql.val(o.message).as('message')])
        .where('appUser.agencyId', '=', o.agencyId).where('appUser.isActive', '=', true).where(sql<boolean>`${o.role} = any(app_user.roles)`))
      .returning('userId'))
      .selectFrom('notified').innerJoin('appUser', 'appUser.id', 'notified.userId').select(['appUser.id', 'appUser.fullName', 'appUser.email']).execute()),
  list: (db: Db, actor: Actor, q: TListIncomingQuery) => {
    let query = db.selectFrom('incomingDocument').select(D).where(incomingVisibleTo(actor));
    query = applyBox(query, actor, q.box);
    if (q.status) query = query.where('incomingDocument.status', '=', q.status);
    if (q.q) query = query.where(sql<boolean>`incoming_document.search_vector @@ plainto_tsquery('simple', ${normalizeSearch(q.q)})`);
    return query.orderBy(urgencyRank, 'desc').orderBy('incomingDocument.arrivedAt', 'desc').orderBy('incomingDocument.id')
      .limit(q.limit).offset(q.offset).execute();
  },
  /** One year's register book in số đến order (the Mật series separately). */
  registerBook: (db: Db, o: { agencyId: string; year: number; isSecret: boolean }) =>
    db.selectFrom('incomingDocument').select(D).where('agencyId', '=', o.agencyId).where('arrivalYear', '=', o.year)
      .where('isSecret', '=', o.isSecret).where('arrivalNumber', 'is not', null)
      .orderBy('registerId').orderBy('arrivalNumber').execute(),
  /** The incoming documents an outgoing reply answers (its ResponseFor). */
  answeredBy: (db: Db, outgoingId: string) =>
    db.selectFrom('incomingProgress').innerJoin('incomingDocument', 'incomingDocument.id', 'incomingProgress.incomingId')
      .select(['incomingDocument.id', 'incomingDocument.issuerCode', 'incomingDocument.issuerName', 'incomingDocument.number',
        'incomingDocument.notation', 'incomingDocument.documentDate', 'incomingDocument.externalDocumentId', 'incomingDocument.sourceOutgoingId'])
      .where('incomingProgress.responseOutgoingId', '=', outgoingId).distinct().execute(),
  /** The audit rows of one document: its timeline (who, what, when). */
  timeline: (db: Db, id: string) =>
    db.selectFrom('auditLog').select(['id', 'at', 'actorId', 'actorName', 'type', 'data'])
      .where('entityType', '=', 'incoming').where('entityId', '=', id).orderBy('id').execute(),
};

type ListQuery = ReturnType<typeof listBase>;
const listBase = (db: Db) => db.selectFrom('incomingDocument').select(D);

function applyBox(query: ListQuery, actor: Actor, box: TListIncomingQuery['box']): ListQuery {
  const today = vietnamToday();
  const activeAssignment = (userOrUnit: 'userId' | 'unitId', id: string) => (eb: ExpressionBuilder<DB, 'incomingDocument'>) =>
    eb.exists(eb.selectFrom('incomingAssignment as a').select('a.id').whereRef('a.incomingId', '=', 'incomingDocument.id')
      .where('a.isActive', '=', true).where(`a.${userOrUnit}`, '=', id).where('a.status', '!=', 'done'));
  switch (box) {
    case 'intake':
      return query.where('incomingDocument.status', 'in', ['received', 'registered']);
    case 'direct':
      return query.where('incomingDocument.status', '=', 'forwarded').where((eb) => eb.or([
        eb('incomingDocument.forwardedTo', '=', actor.id),
        eb('incomingDocument.forwardedTo', 'in', eb.selectFrom('incomingDelegation').select('leaderId').where('deputyId', '=', actor.id)
          .where('revokedAt', 'is', null).where('startsOn', '<=', today).where('endsOn', '>=', today)),
      ]));
    case 'mine':
      return query.where('incomingDocument.status', 'in', ['assigned', 'in_progress']).where(activeAssignment('userId', actor.id));
    case 'unit':
      return actor.unitId
        ? query.where('incomingDocument.status', 'in', ['assigned', 'in_progress']).where(activeAssignment('unitId', actor.unitId))
        : query.where(sql<boolean>`false`);
    default:
      return query;
  }
}
