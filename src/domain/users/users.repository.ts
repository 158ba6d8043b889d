import { sql, type Insertable, type Updateable } from 'kysely';
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

/** A person as other domains find them (users.directory.ts): to name, address or tell them; never a secret. */
const DIRECTORY_COLUMNS = [
  'appUser.id', 'appUser.agencyId', 'appUser.unitId', 'appUser.username', 'appUser.fullName', 'appUser.position', 'appUser.email',
  'appUser.roles', 'appUser.isActive', 'unit.name as unitName',
] as const;

/** People with their unit's name, in the order every list of an agency's people uses: rank, name, then id. */
const directory = (db: Db) => db.selectFrom('appUser').leftJoin('unit', 'unit.id', 'appUser.unitId').select(DIRECTORY_COLUMNS)
  .orderBy(userRank).orderBy('appUser.nameSortKey').orderBy('appUser.id');

const holdsRole = (role: string) => sql<boolean>`${role} = any(${sql.ref('appUser.roles')})`;

export const usersRepo = {
  /** The active users of an agency holding a role. */
  activeWithRole: (db: Db, agencyId: string, role: string) =>
    directory(db).where('appUser.agencyId', '=', agencyId).where('appUser.isActive', '=', true).where(holdsRole(role)).execute(),
  /** The active users holding the unit_head role in some units. */
  activeUnitHeads: (db: Db, unitIds: readonly string[]) => unitIds.length === 0 ? Promise.resolve([]) :
    directory(db).where('appUser.unitId', 'in', [...unitIds]).where('appUser.isActive', '=', true).where(holdsRole('unit_head')).execute(),
  /** The active members of some units. */
  activeUnitMembers: (db: Db, unitIds: readonly string[]) => unitIds.length === 0 ? Promise.resolve([]) :
    directory(db).where('appUser.unitId', 'in', [...unitIds]).where('appUser.isActive', '=', true).execute(),
  /** Every user of an agency, active or not. */
  ofAgency: (db: Db, agencyId: string) => directory(db).where('appUser.agencyId', '=', agencyId).execute(),
  /** Users by id, active or not. */
  byIds: (db: Db, ids: readonly string[]) => ids.length === 0 ? Promise.resolve([]) :
    directory(db).where('appUser.id', 'in', [...ids]).execute(),

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
