import { sql, type Kysely } from 'kysely';

/**
 * Review chains per document type: an agency keeps its general chain (type_code '') and may give some
 * types their own (e.g. a Quyết định also checked by the Văn phòng). Submitting uses the type's chain
 * when there is one, else the general one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table outgoing_review_chain add column type_code text not null default '';
    alter table outgoing_review_chain drop constraint outgoing_review_chain_pkey;
    -- one chain per agency and document type ('' = every type without its own)
    alter table outgoing_review_chain add primary key (agency_id, type_code);
  `.execute(db);
}
