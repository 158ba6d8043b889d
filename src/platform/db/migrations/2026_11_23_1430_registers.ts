import { sql, type Kysely } from 'kysely';

/** Register books (sổ văn bản) and their yearly number counters. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table register (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      kind text not null check (kind in ('incoming', 'outgoing', 'copy')),
      name text not null check (length(name) between 1 and 200),
      is_secret boolean not null default false,
      document_types text[],
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      unique (agency_id, kind, name)
    );
    -- choosing the register for a new entry: an agency's active registers of one kind
    create index register_agency_kind_idx on register(agency_id, kind) where is_active;

    create table register_counter (
      register_id uuid not null references register(id),
      year integer not null check (year between 2000 and 2999),
      last_number integer not null check (last_number >= 0),
      primary key (register_id, year)
    );
  `.execute(db);
}
