import { sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { ArchiveFile } from '../../platform/db/types.gen.ts';

// These lists cover every status a document may be filed in (records.status.ts FILEABLE_*), so the documents
// of work files handed over to the agency archive are always kept (archive.records.test.ts holds them together).
/** Outgoing documents whose issued PDFs are kept: issued, and still kept after a recall or replacement. */
const KEPT_OUTGOING = ['issued', 'recalled', 'replaced'];
/** Incoming documents kept after registration (a refused or merely received one is not). */
const KEPT_INCOMING = ['registered', 'forwarded', 'assigned', 'in_progress', 'done', 'recalled'];

/**
 * The kept signed PDFs not yet tracked: issued outgoing PDFs (main and appendices) and registered
 * incoming PDFs (main and appendices). Raw SQL: a UNION-like join with NOT EXISTS against an array
 * (GIN index) is beyond the builder.
 */
const candidates = () => sql`
  from document_file f
  left join outgoing_document o on f.owner_type = 'outgoing' and o.id = f.owner_id
  left join incoming_document i on f.owner_type = 'incoming' and i.id = f.owner_id
  where f.content_type = 'application/pdf'
    and (
      (o.status in (${sql.join(KEPT_OUTGOING)}) and f.kind = 'signed' and (f.note = 'issued' or f.note like 'issued-appendix-%'))
      or (i.status in (${sql.join(KEPT_INCOMING)}) and f.kind in ('main', 'appendix'))
    )
    and not exists (select 1 from archive_file a where a.version_file_ids @> array[f.id])
  order by f.created_at`;

export type ArchiveRow = Awaited<ReturnType<typeof archiveRepo.findForUpdate>> & {};

export const archiveRepo = {
  /** Kept signed-PDF files not yet part of a lineage, oldest first (see candidates). */
  listNewCandidates: async (db: Db, limit: number) =>
    (await sql<{ id: string; agencyId: string; ownerType: string; ownerId: string }>`
      select f.id, f.agency_id as "agencyId", f.owner_type as "ownerType", f.owner_id as "ownerId" ${candidates()} limit ${limit}`.execute(db)).rows,

  /** Starts tracking up to `limit` new candidates (due for a first check at `dueAt`); returns how many. */
  discover: async (db: Db, limit: number, dueAt: Date): Promise<number> => {
    const result = await sql`
      insert into archive_file (agency_id, owner_type, owner_id, origin_file_id, current_file_id, version_file_ids, renew_due_at)
      select f.agency_id, f.owner_type, f.owner_id, f.id, f.id, array[f.id], ${dueAt.toISOString()}::timestamptz ${candidates()} limit ${limit}
      on conflict do nothing`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  },

  /** Rows whose check or renewal is due at `now` (pending, protected past its due date, failed past its retry time). */
  listDue: (db: Db, now: Date, limit: number) =>
    db.selectFrom('archiveFile').select('id')
      .where((eb) => eb.or([
        eb.and([eb('status', 'in', ['pending', 'protected']), eb('renewDueAt', '<=', now)]),
        eb.and([eb('status', '=', 'failed'), eb('nextAttemptAt', '<=', now)]),
      ]))
      .orderBy('renewDueAt').limit(limit).execute(),

  findForUpdate: (db: Db, id: string) => db.selectFrom('archiveFile').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  findById: (db: Db, id: string) => db.selectFrom('archiveFile').selectAll().where('id', '=', id).executeTakeFirst(),
  findByFile: (db: Db, fileId: string) =>
    db.selectFrom('archiveFile').selectAll().where(sql<boolean>`version_file_ids @> array[${fileId}]::uuid[]`).executeTakeFirst(),

  update: (db: Db, id: string, values: Updateable<ArchiveFile>) =>
    db.updateTable('archiveFile').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

  /** Moves a lineage to its new current version (only if it still points at `fromFileId`: a concurrent pass loses). */
  addVersion: async (db: Db, id: string, fromFileId: string, newFileId: string, values: Updateable<ArchiveFile>) =>
    (await db.updateTable('archiveFile')
      .set({ ...values, currentFileId: newFileId, versionFileIds: sql`array_append(version_file_ids, ${newFileId}::uuid)` })
      .where('id', '=', id).where('currentFileId', '=', fromFileId).executeTakeFirst()).numUpdatedRows === 1n,

  /** Counts per status, and the earliest/latest protection end, of one agency (or all with null). */
  summary: (db: Db, agencyId: string | null) => {
    let q = db.selectFrom('archiveFile').select((eb) => [
      'status', eb.fn.countAll<number>().as('count'), eb.fn.min('protectedUntil').as('earliestUntil'), eb.fn.max('protectedUntil').as('latestUntil'),
    ]).groupBy('status');
    if (agencyId) q = q.where('agencyId', '=', agencyId);
    return q.execute();
  },

  /** The next renewals due and the failures, with their document's label. */
  listRows: (db: Db, agencyId: string | null, kind: 'upcoming' | 'failed', limit: number) => {
    let q = db.selectFrom('archiveFile as a').innerJoin('documentFile as f', 'f.id', 'a.currentFileId')
      .leftJoin('outgoingDocument as o', (j) => j.onRef('o.id', '=', 'a.ownerId').on('a.ownerType', '=', 'outgoing'))
      .leftJoin('incomingDocument as i', (j) => j.onRef('i.id', '=', 'a.ownerId').on('a.ownerType', '=', 'incoming'))
      .select(['a.id', 'a.ownerType', 'a.ownerId', 'a.status', 'a.level', 'a.protectedUntil', 'a.renewDueAt', 'a.renewals', 'a.attempts',
        'a.nextAttemptAt', 'a.lastError', 'a.lastRenewedAt', 'f.fileName', 'f.version', 'o.notation', 'o.number', 'o.subject as outgoingSubject',
        'i.subject as incomingSubject', 'o.isSecret as isSecretOutgoing', 'i.isSecret as isSecretIncoming'])
      .limit(limit);
    if (agencyId) q = q.where('a.agencyId', '=', agencyId);
    return kind === 'failed'
      ? q.where('a.status', '=', 'failed').orderBy('a.nextAttemptAt').execute()
      : q.where('a.status', '=', 'protected').orderBy('a.renewDueAt').execute();
  },

  /** When the next archive pass is due (the job queue's earliest live archive.renew job). */
  nextPassAt: async (db: Db) =>
    (await db.selectFrom('job').select((eb) => eb.fn.min('runAt').as('at')).where('type', '=', 'archive.renew')
      .where('doneAt', 'is', null).where('failedAt', 'is', null).executeTakeFirst())?.at ?? null,
};
