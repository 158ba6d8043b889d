import { sql } from 'kysely';
import type { Db } from '../../platform/db/client.ts';

export const ACCESS_ENTITY_TYPES = ['incoming', 'outgoing', 'records_file'] as const;
export type AccessEntityType = (typeof ACCESS_ENTITY_TYPES)[number];
/** view: the page opened; download: a file taken; print: a marked print copy made (files/print-copy.ts). */
export type AccessAction = 'view' | 'download' | 'print';
export type AccessRow = {
  agencyId: string; userId: string; entityType: AccessEntityType; entityId: string; action: AccessAction;
  fileId: string | null; fileName: string | null; ip: string;
};

/** A Vietnam calendar day of a timestamp column, YYYY-MM-DD (the days the statistics are counted by). */
const vietnamDayOf = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')`;
/** The instant a Vietnam calendar day starts. */
const dayStart = (day: string) => sql<Date>`(${day}::date::timestamp at time zone 'Asia/Ho_Chi_Minh')`;
type Range = { agencyId: string; from: string; toExclusive: string };

/** All SQL of access history: the append-only access_log and the audit log's sign-ins. */
export const accessRepo = {
  insert: (db: Db, row: AccessRow) => db.insertInto('accessLog').values(row).execute(),

  /** Whether the user's last view of this document or file is less than `minutes` old. */
  hasRecentView: async (db: Db, r: Pick<AccessRow, 'entityType' | 'entityId' | 'userId'>, minutes: number) =>
    !!(await db.selectFrom('accessLog').select('id')
      .where('entityType', '=', r.entityType).where('entityId', '=', r.entityId).where('userId', '=', r.userId).where('action', '=', 'view')
      .where('at', '>', sql<Date>`now() - make_interval(mins => ${minutes})`).limit(1).executeTakeFirst()),

  /** Views, distinct people, downloads and print copies of one document or file. */
  counts: (db: Db, entityType: AccessEntityType, entityId: string) =>
    db.selectFrom('accessLog').where('entityType', '=', entityType).where('entityId', '=', entityId)
      // count … filter: three counts in one pass over the entity's rows (the builder has no FILTER clause)
      .select([
        sql<number>`(count(*) filter (where action = 'view'))::int`.as('views'),
        sql<number>`count(distinct user_id)::int`.as('viewers'),
        sql<number>`(count(*) filter (where action = 'download'))::int`.as('downloads'),
        sql<number>`(count(*) filter (where action = 'print'))::int`.as('prints'),
      ]).executeTakeFirstOrThrow(),

  /** The last `limit` accesses of one document or file, newest first, with who made them. */
  recent: (db: Db, entityType: AccessEntityType, entityId: string, limit: number) =>
    db.selectFrom('accessLog as l').innerJoin('appUser as u', 'u.id', 'l.userId')
      .where('l.entityType', '=', entityType).where('l.entityId', '=', entityId)
      .select(['u.fullName as userName', 'u.position', 'l.action', 'l.fileName', 'l.at'])
      .orderBy('l.at', 'desc').orderBy('l.id', 'desc').limit(limit).execute(),

  /** Sign-ins (USER_LOGGED_IN audit rows) per Vietnam day, with the people who signed in that day. */
  signInsPerDay: (db: Db, r: Range) =>
    db.selectFrom('auditLog').where('agencyId', '=', r.agencyId).where('type', '=', 'USER_LOGGED_IN')
      .where('at', '>=', dayStart(r.from)).where('at', '<', dayStart(r.toExclusive))
      .select([vietnamDayOf('at').as('day'), sql<number>`count(*)::int`.as('count'), sql<number>`count(distinct actor_id)::int`.as('users')])
      .groupBy(sql`1`).orderBy(sql`1`).execute(),

  /** The people who signed in at least once in the range. */
  distinctSignedIn: async (db: Db, r: Range) =>
    (await db.selectFrom('auditLog').where('agencyId', '=', r.agencyId).where('type', '=', 'USER_LOGGED_IN')
      .where('at', '>=', dayStart(r.from)).where('at', '<', dayStart(r.toExclusive))
      .select(sql<number>`count(distinct actor_id)::int`.as('n')).executeTakeFirstOrThrow()).n,

  /** Views of documents and files per Vietnam day, with the people who viewed that day. */
  viewsPerDay: (db: Db, r: Range) =>
    db.selectFrom('accessLog').where('agencyId', '=', r.agencyId).where('action', '=', 'view')
      .where('at', '>=', dayStart(r.from)).where('at', '<', dayStart(r.toExclusive))
      .select([vietnamDayOf('at').as('day'), sql<number>`count(*)::int`.as('count'), sql<number>`count(distinct user_id)::int`.as('users')])
      .groupBy(sql`1`).orderBy(sql`1`).execute(),

  /** The most viewed documents and files of the range, with their subject or title and whether they are Mật. */
  mostViewed: (db: Db, r: Range, limit: number) =>
    db.selectFrom((eb) => eb.selectFrom('accessLog').where('agencyId', '=', r.agencyId).where('action', '=', 'view')
      .where('at', '>=', dayStart(r.from)).where('at', '<', dayStart(r.toExclusive))
      .select(['entityType', 'entityId', sql<number>`count(*)::int`.as('views'), sql<number>`count(distinct user_id)::int`.as('viewers')])
      .groupBy(['entityType', 'entityId']).as('m'))
      .leftJoin('incomingDocument as i', (j) => j.onRef('i.id', '=', 'm.entityId').on('m.entityType', '=', 'incoming'))
      .leftJoin('outgoingDocument as o', (j) => j.onRef('o.id', '=', 'm.entityId').on('m.entityType', '=', 'outgoing'))
      .leftJoin('recordsFile as f', (j) => j.onRef('f.id', '=', 'm.entityId').on('m.entityType', '=', 'records_file'))
      .select(['m.entityType', 'm.entityId', 'm.views', 'm.viewers', 'i.subject as incomingSubject', 'o.subject as outgoingSubject', 'f.title as fileTitle',
        sql<boolean>`coalesce(i.secrecy, o.secrecy, 'thuong') <> 'thuong'`.as('isSecret')])
      .orderBy('m.views', 'desc').orderBy('m.entityId').limit(limit).execute(),
};
