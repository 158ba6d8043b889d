import { sql } from 'kysely';
import type { Db } from '../../platform/db/client.ts';

/**
 * The facts of an agency's setup checklist (a read model over the tables of several domains, in the
 * style of reports: counts only, nothing changes). All SQL of the checklist.
 */
export const readinessRepo = {
  agency: (db: Db, id: string) =>
    db.selectFrom('agency').select(['id', 'placeName', 'governingName', 'createdAt', 'updatedAt']).where('id', '=', id).executeTakeFirst(),
  unitCount: async (db: Db, agencyId: string) =>
    Number((await db.selectFrom('unit').select((eb) => eb.fn.countAll<string>().as('n')).where('agencyId', '=', agencyId).executeTakeFirstOrThrow()).n),
  /** Whether the agency has an active seal certificate valid at `now`. */
  hasValidSeal: async (db: Db, agencyId: string, now: Date) =>
    !!(await db.selectFrom('signingCertificate').select('id').where('agencyId', '=', agencyId).where('purpose', '=', 'seal').where('isActive', '=', true)
      .where('notBefore', '<=', now).where('notAfter', '>', now).limit(1).executeTakeFirst()),
  /** Whether an active leader of the agency has an active personal certificate valid at `now`. */
  hasLeaderCertificate: async (db: Db, agencyId: string, now: Date) =>
    !!(await db.selectFrom('signingCertificate as sc').innerJoin('appUser as u', 'u.id', 'sc.userId').select('sc.id')
      .where('sc.agencyId', '=', agencyId).where('sc.purpose', '=', 'personal').where('sc.isActive', '=', true)
      .where('sc.notBefore', '<=', now).where('sc.notAfter', '>', now).where('u.isActive', '=', true).where(sql<boolean>`'leader' = any(u.roles)`)
      .limit(1).executeTakeFirst()),
  /** Per register kind, how many registers the agency has and how many are in use. */
  registerCounts: (db: Db, agencyId: string) =>
    db.selectFrom('register').select((eb) => ['kind', eb.fn.countAll<string>().as('total'), eb.fn.count<string>('id').filterWhere('isActive', '=', true).as('active')])
      .where('agencyId', '=', agencyId).groupBy('kind').execute(),
  planEntryCount: async (db: Db, agencyId: string, year: number) =>
    Number((await db.selectFrom('recordsPlanEntry').select((eb) => eb.fn.countAll<string>().as('n')).where('agencyId', '=', agencyId).where('year', '=', year)
      .executeTakeFirstOrThrow()).n),
};
