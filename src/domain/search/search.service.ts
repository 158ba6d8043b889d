import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/client.ts';
import type { Actor } from '../../policies/actor.ts';
import { savedSearchDuplicate, savedSearchNotFound, savedSearchTooMany } from './search.errors.ts';
import { searchRepo } from './search.repository.ts';
import { MAX_SAVED_SEARCHES, ZSearchQuery, type TSaveSearchBody } from './search.schemas.ts';

/** What every search action takes: the database and the signed-in user. */
export type SearchCtx = { db: Kysely<DB>; actor: Actor };

type SavedRow = Awaited<ReturnType<typeof searchRepo.listSaved>>[number];
/** A saved search as the API answers it; a query saved by an older page keeps only the fields this one knows. */
const presentSaved = (s: SavedRow) => ({
  id: s.id, name: s.name, createdAt: new Date(s.createdAt).toISOString(),
  query: ZSearchQuery.partial().catch({}).parse(typeof s.query === 'string' ? JSON.parse(s.query) : s.query),
});

/** The user's own saved searches, by name (ND 30 Phụ lục VI III.6.e). */
export async function listSavedSearches(c: SearchCtx) {
  return (await searchRepo.listSaved(c.db, c.actor.id)).map(presentSaved);
}

/** Saves the search page's fields under a name of the user's. Throws search.saved_duplicate, search.saved_too_many. */
export async function saveSearch(c: SearchCtx & { body: TSaveSearchBody }) {
  return c.db.transaction().execute(async (tx) => {
    await searchRepo.lockUser(tx, c.actor.id);
    if (await searchRepo.hasName(tx, c.actor.id, c.body.name)) throw savedSearchDuplicate({ name: c.body.name });
    if (await searchRepo.countSaved(tx, c.actor.id) >= MAX_SAVED_SEARCHES) throw savedSearchTooMany({ max: MAX_SAVED_SEARCHES });
    return presentSaved(await searchRepo.insertSaved(tx, { userId: c.actor.id, agencyId: c.actor.agencyId, name: c.body.name, query: c.body.query }));
  });
}

/** Deletes one of the user's saved searches; another's is not found. Throws search.saved_not_found. */
export async function deleteSavedSearch(c: SearchCtx & { id: string }) {
  if (!(await searchRepo.deleteSaved(c.db, c.actor.id, c.id))) throw savedSearchNotFound();
}
