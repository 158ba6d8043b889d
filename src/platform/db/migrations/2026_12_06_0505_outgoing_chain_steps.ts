import { sql, type Kysely } from 'kysely';

/**
 * The agency's default review chain as ordered steps, each either "the head of the drafting unit",
 * "the head of a named unit" (e.g. the Văn phòng checking the layout) or one named person. The old
 * columns (use_unit_head, reviewer_ids) are carried over into steps and no longer read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table outgoing_review_chain add column steps jsonb not null default '[]';
    update outgoing_review_chain set steps =
      (case when use_unit_head then '[{"kind":"drafting_unit_head"}]'::jsonb else '[]'::jsonb end)
      || coalesce((select jsonb_agg(jsonb_build_object('kind', 'user', 'userId', r) order by o)
                   from unnest(reviewer_ids) with ordinality as t(r, o)), '[]'::jsonb);
  `.execute(db);
}
