import type { Kysely } from 'kysely';
import { match } from 'ts-pattern';
import type { DB } from '../../platform/db/types.gen.ts';
import type { Actor } from '../../policies/actor.ts';
import { authorize } from '../../policies/policy.ts';
import { accessHistorySubject, type AccessHistorySubject } from '../../policies/access.ts';
import { loadDocument } from '../incoming/incoming.shared.ts';
import { loadVisible } from '../outgoing/outgoing.service.ts';
import { getRecordsFile } from '../records/records.service.ts';
import { resolvePeriod } from '../reports/reports.period.ts';
import { accessRepo, type AccessAction, type AccessEntityType } from './access.repository.ts';
import type { TAccessStatsQuery } from './access.schemas.ts';

type Ctx = { db: Kysely<DB>; actor: Actor };
/** How many accesses the history lists; the counts cover all of them. */
export const RECENT_ACCESSES = 50;
const MOST_VIEWED = 10;

/**
 * The document or file as the history rule sees it, loaded through its own domain's read, so whoever
 * may not open it gets that domain's not-found answer (incoming.not_found, outgoing.not_found,
 * records.file_not_found) — also another agency's users.
 */
async function openableSubject(c: Ctx & { entityType: AccessEntityType; id: string }): Promise<AccessHistorySubject> {
  return match(c.entityType)
    .with('incoming', async () => {
      const { doc } = await loadDocument(c.db, c.actor, c.id, false);
      return accessHistorySubject.incoming(doc);
    })
    .with('outgoing', async () => {
      return accessHistorySubject.outgoing(await loadVisible({ db: c.db, actor: c.actor, id: c.id }));
    })
    .with('records_file', async () => {
      // a file the actor may open is one of their agency's
      const { file } = await getRecordsFile({ db: c.db, actor: c.actor, id: c.id });
      return accessHistorySubject.records_file({ agencyId: c.actor.agencyId, ownerId: file.ownerId });
    })
    .exhaustive();
}

/**
 * Who opened, downloaded and printed a document or work file (ND 30 Phụ lục VI III.5.a, III.6.a, III.6.k):
 * total views, distinct people, downloads, print copies and the last accesses with each person's name and position. For those
 * who may open it and are the agency's clerks, leaders or admins, or its owner.
 * Throws incoming.not_found / outgoing.not_found / records.file_not_found, forbidden.
 */
export async function getAccessHistory(c: Ctx & { entityType: AccessEntityType; id: string }) {
  authorize(c.actor, 'access.view_history', await openableSubject(c));
  const [counts, recent] = await Promise.all([
    accessRepo.counts(c.db, c.entityType, c.id),
    accessRepo.recent(c.db, c.entityType, c.id, RECENT_ACCESSES),
  ]);
  // the column's check allows only the AccessAction values
  return { ...counts, recent: recent.map((r) => ({ ...r, action: r.action as AccessAction, at: r.at.toISOString() })) };
}

const nextDay = (day: string) => new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);

/**
 * The agency's use of the System in a period of Vietnam days (ND 30 Phụ lục VI III.6.b): sign-ins per
 * day and the people who signed in, views per day, the most viewed documents and files (a Mật
 * document's subject is not shown). This month when no range is given. For the agency's admins.
 * Throws forbidden, reports.period_invalid.
 */
export async function accessStats(c: Ctx & { query: TAccessStatsQuery }) {
  authorize(c.actor, 'audit.view', { agencyId: c.actor.agencyId });
  const { from, to } = resolvePeriod(c.query.from || c.query.to ? { period: 'range', ...c.query } : { period: 'month' });
  const range = { agencyId: c.actor.agencyId, from, toExclusive: nextDay(to) };
  const [signIns, signedIn, views, mostViewed] = await Promise.all([
    accessRepo.signInsPerDay(c.db, range), accessRepo.distinctSignedIn(c.db, range),
    accessRepo.viewsPerDay(c.db, range), accessRepo.mostViewed(c.db, range, MOST_VIEWED),
  ]);
  const total = (rows: readonly { count: number }[]) => rows.reduce((sum, r) => sum + r.count, 0);
  return {
    from, to,
    signIns: { total: total(signIns), users: signedIn, perDay: signIns },
    views: { total: total(views), perDay: views },
    mostViewed: mostViewed.map((m) => ({
      entityType: m.entityType, entityId: m.entityId, views: m.views, viewers: m.viewers, isSecret: m.isSecret,
      title: m.isSecret ? null : (m.incomingSubject ?? m.outgoingSubject ?? m.fileTitle ?? null),
    })),
  };
}
