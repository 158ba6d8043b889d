import { sql, type Kysely } from 'kysely';

/**
 * A user's saved searches (ND 30 Phụ lục VI III.6.e «lưu và sử dụng lại các yêu cầu tìm kiếm»): a name
 * and the search page's fields as JSON. Personal: only their owner lists, runs or deletes them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table saved_search (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references app_user(id),
      agency_id uuid not null references agency(id),
      name text not null check (length(name) between 1 and 100),
      query jsonb not null,
      created_at timestamptz not null default now(),
      -- also the index of a user's list (GET /api/search/saved, ordered by name)
      unique (user_id, name)
    );
  `.execute(db);
}
