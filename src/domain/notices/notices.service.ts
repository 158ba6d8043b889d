import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../policies/actor.ts';
import { noticesRepo } from './notices.repository.ts';
import type { TMarkNoticesReadBody } from './notices.schemas.ts';

type NoticesCtx = { db: Db; actor: Pick<Actor, 'id'> };

// A notice is its addressee's alone: every function here reads or writes the actor's own, so there is no
// rule to decide in src/policies (as with saved searches); another user's id is simply not theirs.

/** The actor's newest notices, read or not, newest first. */
export const listNotices = (c: NoticesCtx & { limit: number }) => noticesRepo.listLatest(c.db, c.actor.id, c.limit);

/** How many of the actor's notices are unread (the bell's badge). */
export async function countUnreadNotices(c: NoticesCtx): Promise<{ unread: number }> {
  return { unread: await noticesRepo.countUnread(c.db, c.actor.id) };
}

/** Marks some or all of the actor's notices read; answers how many it marked and how many stay unread, so the badge needs no second request. */
export async function markNoticesRead(c: NoticesCtx & { body: TMarkNoticesReadBody }): Promise<{ marked: number; unread: number }> {
  return c.db.transaction().execute(async (tx) => {
    const marked = 'all' in c.body ? await noticesRepo.markAllRead(tx, c.actor.id) : await noticesRepo.markRead(tx, c.actor.id, c.body.ids);
    return { marked, unread: await noticesRepo.countUnread(tx, c.actor.id) };
  });
}
