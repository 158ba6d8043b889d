import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { Agency, Unit } from '../../platform/db/types.gen.ts';

export type AgencyHeading = { name: string; governingName: string | null; placeName: string };

export const orgsRepo = {
  findAgency: (db: Db, id: string) => db.selectFrom('agency').selectAll().where('id', '=', id).executeTakeFirst(),
  findAgencyForUpdate: (db: Db, id: string) => db.selectFrom('agency').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  findAgencyByCode: (db: Db, code: string) => db.selectFrom('agency').selectAll().where('code', '=', code).executeTakeFirst(),
  /**
   * What every printed form (registers, reports, records forms, sample drafts) names at its top left (ND 30 Phụ lục I, ô 2):
   * the agency, its cơ quan chủ quản trực tiếp if it has one (agency.governing_name, not simply its parent), its địa danh.
   */
  heading: async (db: Db, id: string): Promise<AgencyHeading> => {
    const row = await db.selectFrom('agency').select(['name', 'governingName', 'placeName']).where('id', '=', id).executeTakeFirst();
    return { name: row?.name ?? '', governingName: row?.governingName?.trim() || null, placeName: row?.placeName || row?.name || '' };
  },
  /** Ancestor ids of an agency, parent first (recursive CTE; the tree is shallow). */
  ancestorIds: async (db: Db, id: string): Promise<string[]> => {
    const rows = await db.withRecursive('up(id, parentId, depth)', (qb) =>
      qb.selectFrom('agency').select(['agency.id', 'agency.parentId', (eb) => eb.lit(0).as('depth')]).where('agency.id', '=', id)
        .unionAll((qb2) => qb2.selectFrom('agency').innerJoin('up', 'up.parentId', 'agency.id').select(['agency.id', 'agency.parentId', (eb) => eb('up.depth', '+', eb.lit(1)).as('depth')])))
      .selectFrom('up').select(['id', 'depth']).where('id', '!=', id).orderBy('depth').execute();
    return rows.map((r) => r.id);
  },
  /** An agency and every agency below it. */
  listSubtree: (db: Db, rootId: string) =>
    db.withRecursive('down(id)', (qb) =>
      qb.selectFrom('agency').select('agency.id').where('agency.id', '=', rootId)
        .unionAll((qb2) => qb2.selectFrom('agency').innerJoin('down', 'down.id', 'agency.parentId').select('agency.id')))
      .selectFrom('agency').selectAll('agency').where('agency.id', 'in', (eb) => eb.selectFrom('down').select('down.id')).orderBy('agency.code').execute(),
  /** Every agency of this install with its cơ quan chủ quản (governing_name) and its parent's name, by code. */
  listAllWithParent: (db: Db) =>
    db.selectFrom('agency as a').leftJoin('agency as p', 'p.id', 'a.parentId')
      .select(['a.code', 'a.name', 'a.governingName', 'p.name as parentName']).orderBy('a.code').execute(),
  insertAgency: (db: Db, values: Insertable<Agency>) => db.insertInto('agency').values(values).returningAll().executeTakeFirstOrThrow(),
  updateAgency: (db: Db, id: string, values: Updateable<Agency>) =>
    db.updateTable('agency').set({ ...values, updatedAt: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

  /** Agencies of this install by name or code (the recipient directory). */
  searchAgencies: (db: Db, search: string | undefined, limit: number) => {
    let q = db.selectFrom('agency').select(['id', 'code', 'name', 'shortName']);
    if (search) {
      const like = `%${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('code', 'ilike', like)]));
    }
    return q.orderBy('code').limit(limit).execute();
  },
  listUnits: (db: Db, agencyId: string) =>
    db.selectFrom('unit').selectAll().where('agencyId', '=', agencyId).orderBy('sortOrder').orderBy('name').execute(),
  findUnit: (db: Db, id: string) => db.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst(),
  findUnitForUpdate: (db: Db, id: string) => db.selectFrom('unit').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  isUnitNameTaken: async (db: Db, agencyId: string, parentId: string | null, name: string, exceptId?: string) => {
    let q = db.selectFrom('unit').select('id').where('agencyId', '=', agencyId).where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
    q = parentId ? q.where('parentId', '=', parentId) : q.where('parentId', 'is', null);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return !!(await q.executeTakeFirst());
  },
  countUnitDependants: async (db: Db, unitId: string) => {
    const users = await db.selectFrom('appUser').select((eb) => eb.fn.countAll().as('n')).where('unitId', '=', unitId).executeTakeFirstOrThrow();
    const units = await db.selectFrom('unit').select((eb) => eb.fn.countAll().as('n')).where('parentId', '=', unitId).executeTakeFirstOrThrow();
    return Number(users.n) + Number(units.n);
  },
  insertUnit: (db: Db, values: Insertable<Unit>) => db.insertInto('unit').values(values).returningAll().executeTakeFirstOrThrow(),
  updateUnit: (db: Db, id: string, values: Updateable<Unit>) =>
    db.updateTable('unit').set({ ...values, updatedAt: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
  deleteUnit: (db: Db, id: string) => db.deleteFrom('unit').where('id', '=', id).execute(),
};
