import { sql, type RawBuilder } from 'kysely';
import { normalizeSearch } from './search-text.ts';
import { toneVariants } from '../search/tone-variants.ts';

/** The tables whose search_vector is made of documentSearchText (header weighed A, body D). */
type SearchedTable = 'incoming_document' | 'outgoing_document';
/** What a search ranks: a table's stored search_vector, or a vector made in the query (a work file's with the words of its documents). */
type RankedVector = SearchedTable | RawBuilder<unknown>;

// Raw SQL throughout: Kysely has no builder for text-search operators and functions.
const vectorOf = (vector: RankedVector) => (typeof vector === 'string' ? sql.ref(`${vector}.search_vector`) : vector);
/**
 * The words typed as one tsquery: every word, each written either way of placing its tone mark («hoà» or «hòa», «Uỷ» or
 * «Ủy»: toneVariants), since the documents hold whichever way their author typed.
 */
export const queryOf = (words: string): RawBuilder<unknown> => {
  const each = normalizeSearch(words).split(' ').filter(Boolean)
    .map((word) => sql`(${sql.join(toneVariants(word).map((w) => sql`plainto_tsquery('simple', ${w})`), sql` || `)})`);
  return each.length === 0 ? sql`plainto_tsquery('simple', '')` : sql`(${sql.join(each, sql` && `)})`;
};

/** A document holds every word typed, with or without diacritics (the search text holds both), in its header or body. */
export const matchesWords = (table: SearchedTable, words: string): RawBuilder<boolean> =>
  sql<boolean>`${vectorOf(table)} @@ ${queryOf(words)}`;

/**
 * The order «Liên quan nhất», as ORDER BY terms (each descending): first the rows whose header — words
 * weighed A: a document's số/ký hiệu, trích yếu, issuer…, a work file's số/ký hiệu and title — holds every
 * word, however often a body repeats them, since ts_rank alone adds a long body's many matches up; then by
 * ts_rank (header words weigh more than body ones). The caller adds its day, newest first, for the ties.
 */
export const relevanceOf = (vector: RankedVector, words: string): RawBuilder<boolean | number>[] => [
  sql<boolean>`ts_filter(${vectorOf(vector)}, '{a}') @@ ${queryOf(words)}`,
  sql<number>`ts_rank(${vectorOf(vector)}, ${queryOf(words)})`,
];
