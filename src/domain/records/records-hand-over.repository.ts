import { sql, type Expression, type ExpressionBuilder, type SqlBool, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { DB, RecordsFile } from '../../platform/db/types.gen.ts';
import type { Actor } from '../../policies/actor.ts';
import { recordsFileHandOverBy } from '../../policies/records.ts';

/** How many days before its due date a closed file is listed and its keeper told (ND 30 Phụ lục VI III.5.b: «trước 30 ngày»). */
export const HAND_OVER_NOTICE_DAYS = 30;

/**
 * The day a closed file is due in the agency archive by the law alone, YYYY-MM-DD, else null: ND 30 Art. 30.2.b,
 * «trong thời hạn 01 năm kể từ ngày công việc kết thúc» — the work ends when its file is closed (Art. 29.4.a),
 * counted in Vietnam; a construction file (XDCB), Art. 30.2.a, «trong thời hạn 03 tháng kể từ ngày công trình được
 * quyết toán» (none while the works are not settled). Only files kept 5 years or more must be handed over
 * (Art. 31.3.c). Raw SQL: dates in a time zone; lpad compares a number of years as text, so 'permanent' is never cast.
 */
export const HAND_OVER_LEGAL_DUE = sql<string | null>`case when records_file.status = 'closed' and records_file.closed_at is not null
  and (records_file.retention = 'permanent' or lpad(records_file.retention, 2, '0') >= '05')
  then case when records_file.is_construction then (records_file.construction_settled_on + interval '3 months')::date::text
  else ((records_file.closed_at at time zone 'Asia/Ho_Chi_Minh')::date + interval '1 year')::date::text end end`;

/** The latest day a due file may be kept back to (Art. 31.3.d: «không quá 02 năm kể từ ngày đến hạn nộp lưu»), YYYY-MM-DD, else null. */
export const KEEP_LIMIT = sql<string | null>`(${HAND_OVER_LEGAL_DUE}::date + interval '2 years')::date::text`;

/**
 * The day a closed file is due in the agency archive, YYYY-MM-DD, else null: HAND_OVER_LEGAL_DUE, or, once a
 * leader agreed to keep it back (Art. 31.3.d), the day agreed. The one place of the rule: lists, the home
 * count and the daily reminder all read it.
 */
export const HAND_OVER_DUE = sql<string | null>`case when records_file.keep_status = 'approved' and ${HAND_OVER_LEGAL_DUE} is not null
  then records_file.keep_until::text else ${HAND_OVER_LEGAL_DUE} end`;

// raw SQL: today in Vietnam, whatever the database session's time zone
const TODAY = sql<string>`(now() at time zone 'Asia/Ho_Chi_Minh')::date::text`;
const HORIZON = sql<string>`((now() at time zone 'Asia/Ho_Chi_Minh')::date + ${HAND_OVER_NOTICE_DAYS}::int)::text`;

// raw SQL: the instant before which a file must have been closed to be due by HORIZON — a day late, so that
// Feb 29 never drops one (HAND_OVER_DUE decides exactly; a keep only moves the day later); it lets records_file_closed_idx serve the query
const CLOSED_BEFORE = sql<Date>`(((now() at time zone 'Asia/Ho_Chi_Minh')::date + ${HAND_OVER_NOTICE_DAYS + 2}::int - interval '1 year')::timestamp at time zone 'Asia/Ho_Chi_Minh')`;

/**
 * Where a file stands against its hand-over date, for the web to show (the one place the notice days are
 * counted): 'overdue' past it, 'due_soon' within HAND_OVER_NOTICE_DAYS of it, else null (not yet near, or nothing due).
 */
export const HAND_OVER_STATE = sql<'overdue' | 'due_soon' | null>`case when ${HAND_OVER_DUE} < ${TODAY} then 'overdue'
  when ${HAND_OVER_DUE} <= ${HORIZON} then 'due_soon' end`;

/** Whether a file is due for hand-over: closed, to be handed over, and due within HAND_OVER_NOTICE_DAYS or overdue. */
export const isHandOverDue = () => (eb: ExpressionBuilder<DB, 'recordsFile'>): Expression<SqlBool> => eb.and([
  // a construction file's date runs from its settlement, not its closing: the closing bound does not hold for it
  eb('recordsFile.status', '=', 'closed'), eb.or([eb('recordsFile.closedAt', '<', CLOSED_BEFORE), eb('recordsFile.isConstruction', '=', true)]), eb(HAND_OVER_DUE, '<=', HORIZON),
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
        'owner.isActive as ownerIsActive', 'recordsFile.isConstruction', 'recordsFile.keepStatus'])
      .select([HAND_OVER_DUE.as('dueDate'), HAND_OVER_STATE.as('state')])
      .where('recordsFile.id', 'in', claimed.map((r) => r.id)).orderBy(HAND_OVER_DUE).orderBy('recordsFile.notation').execute();
  },

  /** A file's hand-over facts: whether it is a construction file and when its works were settled (Art. 30.2.a); its keep-back (Art. 31.3.d): the request and its answer with the names, the legal due date and the latest day it may be kept to. */
  findKeep: (db: Db, id: string) => db.selectFrom('recordsFile')
    .leftJoin('appUser as requester', 'requester.id', 'recordsFile.keepRequestedBy').leftJoin('appUser as decider', 'decider.id', 'recordsFile.keepDecidedBy')
    .select(['recordsFile.isConstruction', 'recordsFile.constructionSettledOn', 'recordsFile.keepStatus', 'recordsFile.keepUntil', 'recordsFile.keepReason', 'recordsFile.keepRequestedBy', 'recordsFile.keepRequestedAt',
      'recordsFile.keepDecidedAt', 'recordsFile.keepNote', 'requester.fullName as requestedByName', 'decider.fullName as decidedByName'])
    // raw SQL: the day after the legal due date, the earliest a keep may run to
    .select([HAND_OVER_LEGAL_DUE.as('legalDueDate'), sql<string | null>`(${HAND_OVER_LEGAL_DUE}::date + 1)::text`.as('keepEarliest'), KEEP_LIMIT.as('keepLimit')])
    // raw SQL: the day after the keep agreed, the earliest an extension may run to
    .select(sql<string | null>`case when records_file.keep_status = 'approved' then (records_file.keep_until + 1)::text end`.as('extendEarliest'))
    .where('recordsFile.id', '=', id).executeTakeFirstOrThrow(),

  /** A file's keep-back history (the first request and each extension), oldest first, with who asked and who answered. */
  /** Whether a request to keep the file back, or to extend a keep, waits for a leader's answer. */
  isKeepAwaitingDecision: async (db: Db, fileId: string) =>
    !!(await db.selectFrom('recordsFileKeep').select('id').where('fileId', '=', fileId).where('status', '=', 'requested').executeTakeFirst()),
  keepHistory: (db: Db, fileId: string) => db.selectFrom('recordsFileKeep')
    .leftJoin('appUser as requester', 'requester.id', 'recordsFileKeep.requestedBy').leftJoin('appUser as decider', 'decider.id', 'recordsFileKeep.decidedBy')
    .select(['recordsFileKeep.id', 'recordsFileKeep.kind', 'recordsFileKeep.until', 'recordsFileKeep.previousUntil', 'recordsFileKeep.reason', 'recordsFileKeep.requestedBy',
      'recordsFileKeep.requestedAt', 'recordsFileKeep.status', 'recordsFileKeep.decidedAt', 'recordsFileKeep.note', 'recordsFileKeep.clearedAt',
      'requester.fullName as requestedByName', 'decider.fullName as decidedByName'])
    .where('recordsFileKeep.fileId', '=', fileId).orderBy('recordsFileKeep.requestedAt').orderBy('recordsFileKeep.id').execute(),
  /** Records a request to keep a file back (kind 'keep') or to extend a keep agreed (kind 'extend'), waiting for a leader. */
  insertKeepRequest: (db: Db, v: { fileId: string; kind: 'keep' | 'extend'; until: string; previousUntil: string | null; reason: string; requestedBy: string | null }) =>
    db.insertInto('recordsFileKeep').values({ ...v, status: 'requested' }).execute(),
  /** A leader's answer to the request waiting; false when none waits. */
  decideKeepRequest: async (db: Db, id: string, v: { status: 'approved' | 'refused'; decidedBy: string | null; note: string }) =>
    (await db.updateTable('recordsFileKeep').set({ ...v, decidedAt: new Date() }).where('id', '=', id).where('status', '=', 'requested').executeTakeFirst()).numUpdatedRows === 1n,
  /** Reopening a file: its keeps no longer apply (cleared), and a request still waiting is cancelled. */
  clearKeeps: (db: Db, fileId: string) => db.updateTable('recordsFileKeep')
    // raw SQL: only the waiting request changes status
    .set({ clearedAt: new Date(), status: sql<string>`case when status = 'requested' then 'cancelled' else status end` })
    .where('fileId', '=', fileId).where('clearedAt', 'is', null).execute(),
  /** Writes a file's hand-over facts (its keep-back, its construction settlement). */
  setHandOverFacts: (db: Db, id: string, v: Updateable<RecordsFile>) => db.updateTable('recordsFile').set({ ...v, updatedAt: new Date() }).where('id', '=', id).execute(),

  /** The Danh mục hồ sơ giữ lại: closed files a leader agreed to keep back, among those `reach` allows, of a year or all; the soonest due first. */
  listKept: (db: Db, reach: (eb: ExpressionBuilder<DB, 'recordsFile'>) => Expression<SqlBool>, year: number | undefined) => {
    let q = db.selectFrom('recordsFile').innerJoin('agency', 'agency.id', 'recordsFile.agencyId')
      .leftJoin('appUser as owner', 'owner.id', 'recordsFile.ownerId').leftJoin('unit', 'unit.id', 'recordsFile.unitId')
      .leftJoin('appUser as requester', 'requester.id', 'recordsFile.keepRequestedBy').leftJoin('appUser as decider', 'decider.id', 'recordsFile.keepDecidedBy')
      .select(['recordsFile.id', 'recordsFile.year', 'recordsFile.notation', 'recordsFile.title', 'recordsFile.retention', 'recordsFile.docTotal', 'recordsFile.pageTotal',
        'recordsFile.keepUntil', 'recordsFile.keepReason', 'recordsFile.keepNote', 'recordsFile.keepDecidedAt', 'agency.code as agencyCode',
        'owner.fullName as ownerName', 'unit.name as unitName', 'requester.fullName as requestedByName', 'decider.fullName as decidedByName'])
      .select(HAND_OVER_LEGAL_DUE.as('legalDueDate'))
      .where('recordsFile.keepStatus', '=', 'approved').where('recordsFile.status', '=', 'closed').where(reach);
    if (year) q = q.where('recordsFile.year', '=', year);
    return q.orderBy('recordsFile.keepUntil').orderBy('recordsFile.notation').limit(500).execute();
  },
};

/** The kind of the notice telling a keeper their file is due for hand-over. */
export const HAND_OVER_NOTICE_KIND = 'hand_over_due';
/** The kind of the notice asking the agency's leaders to agree to keep a due file back; and of the answer to the one who asked. */
export const KEEP_REQUESTED_NOTICE_KIND = 'keep_requested';
export const KEEP_DECIDED_NOTICE_KIND = 'keep_decided';
