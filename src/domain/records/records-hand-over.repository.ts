import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { DB } from '../../platform/db/types.gen.ts';
import type { Actor } from '../../policies/actor.ts';
import { recordsFileHandOverBy } from '../../policies/records.ts';

/** How many days before its due date a closed file is listed and its keeper told (ND 30 Phụ lục VI III.5.b: «trước 30 ngày»). */
export const HAND_OVER_NOTICE_DAYS = 30;

/**
 * The day a closed file is due in the agency archive, YYYY-MM-DD, else null: ND 30 Art. 30.2.b, «trong thời
 * hạn 01 năm kể từ ngày công việc kết thúc» — the work ends when its file is closed (Art. 29.4.a), counted in
 * Vietnam; only files kept 5 years or more must be handed over (Art. 31.3.c). Raw SQL: dates in a time zone;
 * lpad compares a number of years as text, so 'permanent' is never cast.
 */
export const HAND_OVER_DUE = sql<string | null>`case when records_file.status = 'closed' and records_file.closed_at is not null
  and (records_file.retention = 'permanent' or lpad(records_file.retention, 2, '0') >= '05')
  then ((records_file.closed_at at time zone 'Asia/Ho_Chi_Minh')::date + interval '1 year')::date::text end`;

// raw SQL: today in Vietnam, whatever the database session's time zone
const TODAY = sql<string>`(now() at time zone 'Asia/Ho_Chi_Minh')::date::text`;
const HORIZON = sql<string>`((now() at time zone 'Asia/Ho_Chi_Minh')::date + ${HAND_OVER_NOTICE_DAYS}::int)::text`;

// raw SQL: the instant before which a file must have been closed to be due by HORIZON — a day late, so that
// Feb 29 never drops one (HAND_OVER_DUE decides exactly); it lets records_file_closed_idx serve the query
const CLOSED_BEFORE = sql<Date>`(((now() at time zone 'Asia/Ho_Chi_Minh')::date + ${HAND_OVER_NOTICE_DAYS + 2}::int - interval '1 year')::timestamp at time zone 'Asia/Ho_Chi_Minh')`;

/**
 * Where a file stands against its hand-over date, for the web to show (the one place the notice days are
 * counted): 'overdue' past it, 'due_soon' within HAND_OVER_NOTICE_DAYS of it, else null (not yet near, or nothing due).
 */
export const HAND_OVER_STATE = sql<'overdue' | 'due_soon' | null>`case when ${HAND_OVER_DUE} < ${TODAY} then 'overdue'
  when ${HAND_OVER_DUE} <= ${HORIZON} then 'due_soon' end`;

/** Whether a file is due for hand-over: closed, to be handed over, and due within HAND_OVER_NOTICE_DAYS or overdue. */
export const isHandOverDue = () => (eb: ExpressionBuilder<DB, 'recordsFile'>): Expression<SqlBool> => eb.and([
  eb('recordsFile.status', '=', 'closed'), eb('recordsFile.closedAt', '<', CLOSED_BEFORE), eb(HAND_OVER_DUE, '<=', HORIZON),
]);

/** SQL of the hand-over reminder: what is due, counted for a user, and claimed once for the notices. */
export const handOverRepo = {
  /** How many files the actor hands over are due (within the notice days) and how many of them are overdue. */
  countDue: async (db: Db, actor: Actor) => {
    const row = await db.selectFrom('recordsFile')
      .select([sql<number>`count(*)::int`.as('due'), sql<number>`(count(*) filter (where ${HAND_OVER_DUE} < ${TODAY}))::int`.as('overdue')])
      .where(recordsFileHandOverBy(actor)).where(isHandOverDue()).executeTakeFirstOrThrow();
    return { due: Number(row.due), overdue: Number(row.overdue) };
  },

  /**
   * Marks the due files whose keeper was not told yet as told, and returns them with the keeper's name and
   * mail; a file is claimed once (until it is closed again), so a run repeated tells nobody twice.
   */
  claimDueNotices: async (db: Db) => {
    const claimed = await db.updateTable('recordsFile').set({ handOverNotifiedAt: new Date() })
      .where('handOverNotifiedAt', 'is', null).where(isHandOverDue()).returning('id').execute();
    if (claimed.length === 0) return [];
    return db.selectFrom('recordsFile').innerJoin('appUser as owner', 'owner.id', 'recordsFile.ownerId')
      .select(['recordsFile.id', 'recordsFile.agencyId', 'recordsFile.unitId', 'recordsFile.ownerId', 'recordsFile.notation', 'recordsFile.title', 'owner.fullName', 'owner.email',
        'owner.isActive as ownerIsActive'])
      .select([HAND_OVER_DUE.as('dueDate'), HAND_OVER_STATE.as('state')])
      .where('recordsFile.id', 'in', claimed.map((r) => r.id)).orderBy(HAND_OVER_DUE).orderBy('recordsFile.notation').execute();
  },

  /** Takes back the unread hand-over notices of a file (handed over, or reopened): nothing is left to do about them. */
  withdrawNotices: (db: Db, recordsFileId: string) =>
    db.updateTable('incomingNotice').set({ readAt: new Date() }).where('recordsFileId', '=', recordsFileId).where('kind', '=', HAND_OVER_NOTICE_KIND).where('readAt', 'is', null).execute(),
};

/** The kind of the notice telling a keeper their file is due for hand-over. */
export const HAND_OVER_NOTICE_KIND = 'hand_over_due';
