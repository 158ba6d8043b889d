import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { IncomingAssignment, IncomingProgress } from '../../platform/db/types.gen.ts';
import { inRegisterBook, isPassedOn, type BookScope } from './incoming.repository.ts';

/** SQL for the work around an incoming document: assignments, progress, delegations, statuses, people. */
export const workRepo = {
  /** A closed or handed-over work file (hồ sơ) holding the document, if any: its handling is settled there. */
  settledFileHolding: (db: Db, incomingId: string) => db.selectFrom('recordsFile')
    .innerJoin('recordsFileDocument', 'recordsFileDocument.fileId', 'recordsFile.id')
    .select(['recordsFile.notation', 'recordsFile.title', 'recordsFile.status'])
    .where('recordsFileDocument.ownerType', '=', 'incoming').where('recordsFileDocument.ownerId', '=', incomingId)
    .where('recordsFile.status', 'in', ['closed', 'handed_over']).orderBy('recordsFile.status', 'desc').limit(1).executeTakeFirst(),
  listAssignments: (db: Db, incomingId: string) =>
    db.selectFrom('incomingAssignment')
      .leftJoin('appUser', 'appUser.id', 'incomingAssignment.userId')
      .leftJoin('unit', 'unit.id', 'incomingAssignment.unitId')
      .selectAll('incomingAssignment').select(['appUser.fullName as userName', 'unit.name as unitName'])
      .where('incomingId', '=', incomingId).orderBy('assignedAt').orderBy('incomingAssignment.id').execute(),
  /** Whom the direction gave each document of a register book to (its active top-level parts), in one query. */
  bookAssignments: (db: Db, o: BookScope) =>
    db.selectFrom('incomingAssignment').innerJoin('incomingDocument', 'incomingDocument.id', 'incomingAssignment.incomingId')
      .leftJoin('appUser', 'appUser.id', 'incomingAssignment.userId')
      .leftJoin('unit', 'unit.id', 'incomingAssignment.unitId')
      .select(['incomingAssignment.incomingId', 'incomingAssignment.role', 'appUser.fullName as userName', 'unit.name as unitName'])
      .where(inRegisterBook(o)).where('incomingAssignment.isActive', '=', true).where('incomingAssignment.parentId', 'is', null)
      .orderBy('incomingAssignment.assignedAt').orderBy('incomingAssignment.id').execute(),
  /** The replies (số, ký hiệu of the answering document) recorded on the documents of a register book, in one query. */
  bookReplies: (db: Db, o: BookScope) =>
    db.selectFrom('incomingProgress').innerJoin('incomingDocument', 'incomingDocument.id', 'incomingProgress.incomingId')
      .select(['incomingProgress.incomingId', 'incomingProgress.responseNotation'])
      .where(inRegisterBook(o)).where('incomingProgress.responseNotation', 'is not', null).where('incomingProgress.responseNotation', '!=', '')
      .orderBy('incomingProgress.createdAt').execute(),
  insertAssignments: (db: Db, rows: Insertable<IncomingAssignment>[]) =>
    rows.length === 0 ? Promise.resolve([]) : db.insertInto('incomingAssignment').values(rows).returningAll().execute(),
  /** A new direction replaces the previous one (kept, inactive, for the record). */
  deactivateAssignments: (db: Db, incomingId: string) =>
    db.updateTable('incomingAssignment').set({ isActive: false }).where('incomingId', '=', incomingId).where('isActive', '=', true).execute(),
  findAssignmentForUpdate: (db: Db, id: string) =>
    db.selectFrom('incomingAssignment').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  updateAssignment: (db: Db, id: string, values: Updateable<IncomingAssignment>) =>
    db.updateTable('incomingAssignment').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

  insertProgress: (db: Db, row: Insertable<IncomingProgress>) => db.insertInto('incomingProgress').values(row).returningAll().executeTakeFirstOrThrow(),
  listProgress: (db: Db, incomingId: string) =>
    db.selectFrom('incomingProgress').innerJoin('appUser', 'appUser.id', 'incomingProgress.authorId')
      .leftJoin('documentFile', 'documentFile.id', 'incomingProgress.fileId')
      .selectAll('incomingProgress').select(['appUser.fullName as authorName', 'documentFile.fileName'])
      .where('incomingId', '=', incomingId).orderBy('incomingProgress.createdAt').execute(),

  /** Leaders who delegated direction to `deputyId` for `today`. */
  delegatorsOf: async (db: Db, deputyId: string, today: string) =>
    (await db.selectFrom('incomingDelegation').select('leaderId').where('deputyId', '=', deputyId).where('revokedAt', 'is', null)
      .where('startsOn', '<=', today).where('endsOn', '>=', today).execute()).map((r) => r.leaderId),
  /** Deputies a leader delegated direction to for `today`. */
  delegatesOf: async (db: Db, leaderId: string, today: string) =>
    (await db.selectFrom('incomingDelegation').select('deputyId').where('leaderId', '=', leaderId).where('revokedAt', 'is', null)
      .where('startsOn', '<=', today).where('endsOn', '>=', today).execute()).map((r) => r.deputyId),
  insertDelegation: (db: Db, row: { agencyId: string; leaderId: string; deputyId: string; startsOn: string; endsOn: string }) =>
    db.insertInto('incomingDelegation').values(row).returningAll().executeTakeFirstOrThrow(),
  revokeDelegation: (db: Db, id: string, leaderId: string) =>
    db.updateTable('incomingDelegation').set({ revokedAt: new Date() }).where('id', '=', id).where('leaderId', '=', leaderId)
      .where('revokedAt', 'is', null).returningAll().executeTakeFirst(),
  listDelegations: (db: Db, userId: string, today: string) =>
    db.selectFrom('incomingDelegation')
      .innerJoin('appUser as l', 'l.id', 'incomingDelegation.leaderId').innerJoin('appUser as d', 'd.id', 'incomingDelegation.deputyId')
      .selectAll('incomingDelegation').select(['l.fullName as leaderName', 'd.fullName as deputyName'])
      .where((eb) => eb.or([eb('leaderId', '=', userId), eb('deputyId', '=', userId)]))
      .where('revokedAt', 'is', null).where('endsOn', '>=', today).orderBy('startsOn').execute(),

  /** Statuses sent back to senders, in one statement. */
  insertStatusOut: (db: Db, rows: readonly { incomingId: string; code: string; at: Date; description: string; channel: 'internal' | 'exchange' }[]) =>
    rows.length === 0 ? Promise.resolve() : db.insertInto('incomingStatusOut').values([...rows]).execute().then(() => undefined),
  listStatusOut: (db: Db, incomingId: string) =>
    db.selectFrom('incomingStatusOut').select(['code', 'at', 'description', 'channel']).where('incomingId', '=', incomingId).orderBy('id').execute(),
  hasStatusOut: async (db: Db, incomingId: string, code: string) =>
    !!(await db.selectFrom('incomingStatusOut').select('id').where('incomingId', '=', incomingId).where('code', '=', code).executeTakeFirst()),

  listUnits: (db: Db, agencyId: string) =>
    db.selectFrom('unit').select(['id', 'name', 'shortName', 'parentId']).where('agencyId', '=', agencyId).orderBy('sortOrder').orderBy('name').execute(),
  agencyUnits: (db: Db, agencyId: string, ids: readonly string[]) =>
    ids.length === 0 ? Promise.resolve([]) : db.selectFrom('unit').select(['id', 'name']).where('agencyId', '=', agencyId).where('id', 'in', [...ids]).execute(),
  /**
   * Open assignments with a deadline on or before `until` (the daily reminder). A unit's part its head passed
   * on is reminded through the parts under it (to their holders and their unit's heads), not a second time.
   */
  dueAssignments: (db: Db, until: string) =>
    db.selectFrom('incomingAssignment').innerJoin('incomingDocument', 'incomingDocument.id', 'incomingAssignment.incomingId')
      .select(['incomingAssignment.id', 'incomingAssignment.userId', 'incomingAssignment.unitId', 'incomingAssignment.deadline',
        'incomingDocument.id as incomingId', 'incomingDocument.agencyId', 'incomingDocument.subject', 'incomingDocument.notation',
        'incomingDocument.arrivalNumber', 'incomingDocument.dueDate', 'incomingDocument.isSecret'])
      .where('incomingAssignment.isActive', '=', true).where('incomingAssignment.status', '!=', 'done')
      .where('incomingAssignment.role', '!=', 'info').where((eb) => eb.not(isPassedOn('incomingAssignment')))
      .where('incomingDocument.status', 'in', ['assigned', 'in_progress'])
      .where((eb) => eb(eb.fn.coalesce('incomingAssignment.deadline', 'incomingDocument.dueDate'), '<=', until)).execute(),
};
