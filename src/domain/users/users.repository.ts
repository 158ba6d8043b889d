import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { AppUser } from '../../platform/db/types.gen.ts';
import { userRank } from './users.rank.ts';
import { nameSortKey } from './users.sort-key.ts';

/** Columns safe to return to clients (never the password hash or the TOTP secret). */
export const PUBLIC_USER_COLUMNS = [
  'appUser.id', 'appUser.agencyId', 'appUser.unitId', 'appUser.username', 'appUser.email', 'appUser.fullName',
  'appUser.position', 'appUser.roles', 'appUser.isActive', 'appUser.totpEnabled', 'appUser.mustChangePassword',
  'appUser.lastLoginAt', 'appUser.createdAt',
] as const;

export const usersRepo = {
  findById: (db: Db, id: string) => db.selectFrom('appUser').selectAll().where('id', '=', id).executeTakeFirst(),
  findForUpdate: (db: Db, id: string) => db.selectFrom('appUser').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  /** Login by username or email (case-insensitive). */
  findByLogin: (db: Db, login: string) => {
    const value = login.trim().toLowerCase();
    return db.selectFrom('appUser').selectAll()
      .where((eb) => eb.or([eb('username', '=', value), eb(eb.fn('lower', ['email']), '=', value)]))
      .executeTakeFirst();
  },
  findPublic: (db: Db, id: string) => db.selectFrom('appUser').select(PUBLIC_USER_COLUMNS).where('id', '=', id).executeTakeFirst(),
  listByAgency: (db: Db, agencyId: string, q: { unitId?: string; search?: string; limit: number; offset: number }) => {
    let query = db.selectFrom('appUser').leftJoin('unit', 'unit.id', 'appUser.unitId')
      .select([...PUBLIC_USER_COLUMNS, 'unit.name as unitName'])
      .where('appUser.agencyId', '=', agencyId);
    if (q.unitId) query = query.where('appUser.unitId', '=', q.unitId);
    if (q.search) {
      const like = `%${q.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      query = query.where((eb) => eb.or([eb('appUser.fullName', 'ilike', like), eb('appUser.username', 'ilike', like), eb('appUser.email', 'ilike', like)]));
    }
    // the id last: two people of the same name keep their places from one page to the next
    return query.orderBy(userRank).orderBy('appUser.nameSortKey').orderBy('appUser.id').limit(q.limit).offset(q.offset).execute();
  },
  isUsernameTaken: async (db: Db, username: string) =>
    !!(await db.selectFrom('appUser').select('id').where('username', '=', username.toLowerCase()).executeTakeFirst()),
  isEmailTaken: async (db: Db, email: string, exceptId?: string) => {
    let q = db.selectFrom('appUser').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()));
    if (exceptId) q = q.where('id', '!=', exceptId);
    return !!(await q.executeTakeFirst());
  },
  /** Inserts a user, with the key that orders their name in lists. */
  insert: (db: Db, values: Omit<Insertable<AppUser>, 'nameSortKey'>) =>
    db.insertInto('appUser').values({ ...values, nameSortKey: nameSortKey(values.fullName) }).returning('id').executeTakeFirstOrThrow(),
  /** Updates a user; a new full name gets its sort key in the same statement. */
  update: (db: Db, id: string, values: Omit<Updateable<AppUser>, 'nameSortKey'>) =>
    db.updateTable('appUser').set({ ...values, ...(values.fullName !== undefined && { nameSortKey: nameSortKey(values.fullName) }), updatedAt: new Date() })
      .where('id', '=', id).executeTakeFirstOrThrow(),
};
