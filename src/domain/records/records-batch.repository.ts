import { type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import { takeNextInYear } from '../../platform/db/counters.ts';
import type { DB } from '../../platform/db/types.gen.ts';

/** A batch with the names its Biên bản giao nhận prints: the agency, the unit, who handed it over and who received it (with their positions); the agency's heading is agencyHeading (orgs.service.ts). */
const batchesWithNames = (db: Db) => db.selectFrom('recordsHandOverBatch')
  .innerJoin('agency', 'agency.id', 'recordsHandOverBatch.agencyId')
  .leftJoin('unit', 'unit.id', 'recordsHandOverBatch.unitId')
  .innerJoin('appUser as giver', 'giver.id', 'recordsHandOverBatch.handedOverBy')
  .leftJoin('appUser as receiver', 'receiver.id', 'recordsHandOverBatch.receivedBy')
  .select(['recordsHandOverBatch.id', 'recordsHandOverBatch.agencyId', 'recordsHandOverBatch.unitId', 'recordsHandOverBatch.handedOverBy', 'recordsHandOverBatch.handedOverAt',
    'recordsHandOverBatch.note', 'recordsHandOverBatch.receivedBy', 'recordsHandOverBatch.receivedAt', 'recordsHandOverBatch.minutesYear', 'recordsHandOverBatch.minutesNumber',
    'agency.name as agencyName', 'agency.shortName as agencyShortName', 'unit.name as unitName',
    'giver.fullName as handedOverByName', 'giver.position as handedOverByPosition', 'receiver.fullName as receivedByName', 'receiver.position as receivedByPosition'])
  .select((eb) => [
    eb.selectFrom('recordsFile').select((e) => e.fn.countAll<number>().as('n')).whereRef('recordsFile.handOverBatchId', '=', 'recordsHandOverBatch.id').as('fileCount'),
  ]);
export type BatchRow = Awaited<ReturnType<ReturnType<typeof batchesWithNames>['executeTakeFirstOrThrow']>>;

/** The SQL of the hand-over batches (đợt nộp lưu, ND 30 Art. 30.3). */
export const batchRepo = {
  insertBatch: (db: Db, v: { agencyId: string; unitId: string | null; handedOverBy: string; handedOverAt: Date; note: string; minutesYear: number; minutesNumber: number }) =>
    db.insertInto('recordsHandOverBatch').values(v).returning(['id', 'handedOverAt']).executeTakeFirstOrThrow(),
  /** The next number of the agency's biên bản giao nhận in a year, from 1; taken only if the caller's transaction commits, never twice. */
  takeMinutesNumber: (db: Db, agencyId: string, year: number): Promise<number> => takeNextInYear(db, 'records_minutes_counter', agencyId, year),
  findBatch: (db: Db, id: string) => batchesWithNames(db).where('recordsHandOverBatch.id', '=', id).executeTakeFirst(),
  lockBatch: (db: Db, id: string) => db.selectFrom('recordsHandOverBatch').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  markReceived: (db: Db, id: string, receivedBy: string) =>
    db.updateTable('recordsHandOverBatch').set({ receivedBy, receivedAt: new Date() }).where('id', '=', id).where('receivedAt', 'is', null).executeTakeFirst(),
  /** The ids of a batch's files, by year and số/ký hiệu (the order of its mục lục). */
  fileIds: async (db: Db, batchId: string) => (await db.selectFrom('recordsFile').select('id').where('handOverBatchId', '=', batchId).execute()).map((r) => r.id),
  /** The documents in a batch's files, once per file that holds one. */
  documentRefs: (db: Db, batchId: string) => db.selectFrom('recordsFileDocument').innerJoin('recordsFile', 'recordsFile.id', 'recordsFileDocument.fileId')
    .select(['recordsFileDocument.fileId', 'recordsFileDocument.ownerType', 'recordsFileDocument.ownerId']).where('recordsFile.handOverBatchId', '=', batchId).execute(),
  /** The batches `reach` allows, waiting for the archive (oldest first) or received (newest first), at most 200. */
  listBatches: (db: Db, reach: (eb: ExpressionBuilder<DB, 'recordsHandOverBatch'>) => Expression<SqlBool>, status: 'waiting' | 'received' | undefined) => {
    let q = batchesWithNames(db).where(reach);
    if (status === 'waiting') q = q.where('recordsHandOverBatch.receivedAt', 'is', null).orderBy('recordsHandOverBatch.handedOverAt', 'asc');
    if (status === 'received') q = q.where('recordsHandOverBatch.receivedAt', 'is not', null);
    return q.orderBy('recordsHandOverBatch.handedOverAt', 'desc').limit(200).execute();
  },
};
