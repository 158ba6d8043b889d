import { sql, type Kysely } from 'kysely';
import type { DB } from '../types.gen.ts';
import { indexRecordsFiles } from './2026_12_07_0400_records_search.ts';

/**
 * Work files can be ordered by relevance («Liên quan nhất») as documents are: a file's search_vector — its
 * số/ký hiệu and title, its header — weighs A, so the shared ranking (search-text.repository.ts) puts a file
 * whose header holds every word first; the words of its documents join it weighed D at query time, through
 * tsvector_agg, for ts_rank. The generated column is dropped while the rows are re-indexed by the domain's own
 * function, 500 at a time, then made again — once — with its index.
 */
export async function up(db: Kysely<unknown> | Kysely<DB>): Promise<void> {
  await sql`alter table records_file drop column search_vector`.execute(db);
  await indexRecordsFiles(db);
  await sql`
    alter table records_file add column search_vector tsvector generated always as (setweight(to_tsvector('simple', search_text), 'A')) stored;
    -- the work files' list and the search page: search_vector @@ plainto_tsquery('simple', …), ranked by ts_rank
    create index records_file_search_idx on records_file using gin(search_vector);
    -- «Liên quan nhất» on work files: the words of a file's documents as one vector (|| has no aggregate of its own);
    -- '' for a file without documents, never null
    create or replace aggregate tsvector_agg(tsvector) (sfunc = tsvector_concat, stype = tsvector, initcond = '');
  `.execute(db);
}
