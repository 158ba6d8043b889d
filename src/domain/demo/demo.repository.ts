import type { Db } from '../../platform/db/client.ts';

/** The demo seed's lookups: the demo province's agencies, units and accounts, by the codes and names the seed gave them. */
export const demoRepo = {
  agencyByCode: (db: Db, code: string) =>
    db.selectFrom('agency').select(['id', 'code', 'name', 'shortName', 'governingName']).where('code', '=', code).executeTakeFirst(),
  unitByName: (db: Db, agencyId: string, name: string) =>
    db.selectFrom('unit').select('id').where('agencyId', '=', agencyId).where('name', '=', name).executeTakeFirst(),
  /** Whether the install has agencies besides the demo's (made with the admin CLI, or by a previous version). */
  hasOtherAgencies: async (db: Db, demoCodes: readonly string[]) =>
    !!(await db.selectFrom('agency').select('id').where('code', 'not in', demoCodes).limit(1).executeTakeFirst()),
};
