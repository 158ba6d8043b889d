import { sql } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { TSearchQuery } from './search.schemas.ts';

/** All SQL of the search domain: a user's saved searches, always scoped to their owner; the backfill's look at the job queue. */
export const searchRepo = {
  /** Serialises one user's saves (the count limit and the name check) until the transaction ends. Raw SQL: an advisory lock. */
  lockUser: (db: Db, userId: string) => sql`select pg_advisory_xact_lock(hashtext(${`saved_search:${userId}`}))`.execute(db),
  listSaved: (db: Db, userId: string) =>
    db.selectFrom('savedSearch').select(['id', 'name', 'query', 'createdAt']).where('userId', '=', userId).orderBy('name').execute(),
  countSaved: async (db: Db, userId: string) =>
    Number((await db.selectFrom('savedSearch').select((eb) => eb.fn.countAll().as('n')).where('userId', '=', userId).executeTakeFirstOrThrow()).n),
  hasName: async (db: Db, userId: string, name: string) =>
    (await db.selectFrom('savedSearch').select('id').where('userId', '=', userId).where('name', '=', name).executeTakeFirst()) !== undefined,
  insertSaved: (db: Db, v: { userId: string; agencyId: string; name: string; query: TSearchQuery }) =>
    db.insertInto('savedSearch').values({ ...v, query: JSON.stringify(v.query) }).returning(['id', 'name', 'query', 'createdAt']).executeTakeFirstOrThrow(),
  /** The name of the user's agency, at the top of an export. */
  agencyName: async (db: Db, agencyId: string) => (await db.selectFrom('agency').select('name').where('id', '=', agencyId).executeTakeFirst())?.name,
  /** Whether jobs of a type wait or run (not done, not failed): the backfill yields to them (job_due_idx). */
  hasOpenJobs: async (db: Db, type: string) =>
    (await db.selectFrom('job').select('id').where('type', '=', type).where('doneAt', 'is', null).where('failedAt', 'is', null).limit(1).executeTakeFirst()) !== undefined,
  /** Deletes a saved search of this user; false when it is not theirs or not there. */
  deleteSaved: async (db: Db, userId: string, id: string) =>
    (await db.deleteFrom('savedSearch').where('id', '=', id).where('userId', '=', userId).executeTakeFirst()).numDeletedRows === 1n,
};
