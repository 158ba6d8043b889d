import { sql, type Kysely } from 'kysely';
import { recordsFileSearchTextOf } from '../../../domain/records/records.repository.ts';
import type { DB } from '../types.gen.ts';

/**
 * Work files get the documents' search column: số/ký hiệu (whole and in parts) and title, normalised,
 * and again without diacritics — "ke hoach" and "KẾ HOẠCH" find «Kế hoạch công tác năm 2026», and "so"
 * no longer finds every word holding those letters, where a LIKE on lower(title) found fragments and,
 * on PGlite, no Vietnamese capital. Existing files are indexed by the domain's own function, so they
 * read exactly as new ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table records_file add column search_text text not null default '';
    alter table records_file add column search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored;
    -- the work files' list and the search page: search_vector @@ plainto_tsquery('simple', …)
    create index records_file_search_idx on records_file using gin(search_vector);
  `.execute(db);
  await indexRecordsFiles(db);
}

/** Writes every work file's search text as the repository makes it, 500 at a time. */
export async function indexRecordsFiles(db: Kysely<unknown> | Kysely<DB>): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    // raw SQL: the migration runs with or without the app's camel-case plugin (npm run db:codegen has none)
    const { rows } = await sql<{ id: string; notation: string; title: string }>`
      select id, notation, title from records_file where id > ${after} order by id limit 500`.execute(db);
    for (const row of rows) await sql`update records_file set search_text = ${recordsFileSearchTextOf(row)} where id = ${row.id}`.execute(db);
    const last = rows.at(-1);
    if (!last) return;
    after = last.id;
  }
}
