import type { Db } from '../../platform/db/client.ts';
import { takeNextInYear } from '../../platform/db/counters.ts';

export type RegisterKind = 'incoming' | 'outgoing' | 'copy';

export const registersRepo = {
  listByAgency: (db: Db, agencyId: string, kind?: RegisterKind) => {
    let q = db.selectFrom('register').selectAll().where('agencyId', '=', agencyId);
    if (kind) q = q.where('kind', '=', kind);
    return q.orderBy('kind').orderBy('isSecret').orderBy('name').execute();
  },
  findById: (db: Db, id: string) => db.selectFrom('register').selectAll().where('id', '=', id).executeTakeFirst(),
  findActive: (db: Db, agencyId: string, kind: RegisterKind, isSecret: boolean) =>
    db.selectFrom('register').selectAll().where('agencyId', '=', agencyId).where('kind', '=', kind)
      .where('isSecret', '=', isSecret).where('isActive', '=', true).orderBy('createdAt').execute(),
  insert: (db: Db, r: { agencyId: string; kind: RegisterKind; name: string; isSecret: boolean; documentTypes: string[] | null }) =>
    db.insertInto('register').values(r).onConflict((oc) => oc.columns(['agencyId', 'kind', 'name']).doNothing()).returningAll().executeTakeFirst(),
  update: (db: Db, id: string, values: { name?: string; isActive?: boolean; documentTypes?: string[] | null }) =>
    db.updateTable('register').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
  /**
   * Takes the next number of a register for a year. The upsert locks the counter row until the
   * caller's transaction ends: concurrent issues wait and never get the same number, and a rolled-back
   * transaction gives its number back.
   */
  takeNext: (db: Db, registerId: string, year: number): Promise<number> => takeNextInYear(db, 'register_counter', registerId, year),
  peekLast: async (db: Db, registerId: string, year: number): Promise<number> =>
    (await db.selectFrom('registerCounter').select('lastNumber').where('registerId', '=', registerId).where('year', '=', year).executeTakeFirst())?.lastNumber ?? 0,
};
