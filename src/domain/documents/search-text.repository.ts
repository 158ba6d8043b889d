import { sql, type RawBuilder } from 'kysely';
import { normalizeSearch } from './search-text.ts';

/** The tables whose search_vector is made of documentSearchText (header weighed A, body D). */
type SearchedTable = 'incoming_document' | 'outgoing_document';

// Raw SQL throughout: Kysely has no builder for text-search operators and functions.
const vectorOf = (table: SearchedTable) => sql.ref(`${table}.search_vector`);
const queryOf = (words: string) => sql`plainto_tsquery('simple', ${normalizeSearch(words)})`;

/** A document holds every word typed, with or without diacritics (the search text holds both), in its header or body. */
export const matchesWords = (table: SearchedTable, words: string): RawBuilder<boolean> =>
  sql<boolean>`${vectorOf(table)} @@ ${queryOf(words)}`;

/**
 * The order «Liên quan nhất», as ORDER BY terms (each descending): first the documents whose header
 * (số/ký hiệu, trích yếu, issuer…) holds every word — however often a body repeats them, since ts_rank
 * alone adds a long body's many matches up —, then by ts_rank (header words weigh more than body ones).
 */
export const relevanceOf = (table: SearchedTable, words: string): RawBuilder<boolean | number>[] => [
  sql<boolean>`ts_filter(${vectorOf(table)}, '{a}') @@ ${queryOf(words)}`,
  sql<number>`ts_rank(${vectorOf(table)}, ${queryOf(words)})`,
];
