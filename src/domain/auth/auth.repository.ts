import type { Db } from '../../platform/db/client.ts';

export const authRepo = {
  insertSession: (db: Db, s: { id: string; userId: string; csrfToken: string; expiresAt: Date; ip: string; userAgent: string }) =>
    db.insertInto('session').values(s).execute(),
  findSession: (db: Db, id: string) =>
    db.selectFrom('session').innerJoin('appUser', 'appUser.id', 'session.userId')
      .select(['session.id', 'session.csrfToken', 'session.expiresAt', 'session.lastSeenAt', 'session.createdAt',
        'appUser.id as userId', 'appUser.agencyId', 'appUser.unitId', 'appUser.username', 'appUser.fullName', 'appUser.roles', 'appUser.isActive'])
      .where('session.id', '=', id).executeTakeFirst(),
  touchSession: (db: Db, id: string, at: Date) => db.updateTable('session').set({ lastSeenAt: at }).where('id', '=', id).execute(),
  deleteSession: (db: Db, id: string) => db.deleteFrom('session').where('id', '=', id).execute(),
  deleteUserSessions: (db: Db, userId: string, exceptId?: string) => {
    let q = db.deleteFrom('session').where('userId', '=', userId);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return q.executeTakeFirst();
  },
  recordAttempt: async (db: Db, key: string) => (await db.insertInto('loginAttempt').values({ key }).returning('id').executeTakeFirstOrThrow()).id,
  /** Takes back an attempt that turned out not to be a failure (a sign-in, a password asking for its second factor). */
  forgetAttempt: (db: Db, id: number) => db.deleteFrom('loginAttempt').where('id', '=', id).execute(),
  countAttemptsSince: async (db: Db, key: string, since: Date) =>
    Number((await db.selectFrom('loginAttempt').select((eb) => eb.fn.countAll().as('n')).where('key', '=', key).where('at', '>=', since).executeTakeFirstOrThrow()).n),
  pruneAttempts: (db: Db, before: Date) => db.deleteFrom('loginAttempt').where('at', '<', before).execute(),
  insertReset: (db: Db, r: { userId: string; tokenHash: string; expiresAt: Date }) => db.insertInto('passwordReset').values(r).execute(),
  findResetForUpdate: (db: Db, tokenHash: string) =>
    db.selectFrom('passwordReset').selectAll().where('tokenHash', '=', tokenHash).forUpdate().executeTakeFirst(),
  markResetUsed: (db: Db, id: string) => db.updateTable('passwordReset').set({ usedAt: new Date() }).where('id', '=', id).execute(),
};
