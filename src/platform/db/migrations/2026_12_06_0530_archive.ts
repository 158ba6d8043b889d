import { sql, type Kysely } from 'kysely';

/**
 * Long-term protection of kept signed PDFs (issue 4.4): one row per protected file lineage — the file
 * first found (origin) and the newest version holding the evidence (current; a renewal adds a new
 * document_file row and moves `current_file_id`, the earlier bytes stay). The archive pass job
 * re-enqueues itself daily; this is its first run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table archive_file (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      owner_type text not null check (owner_type in ('incoming', 'outgoing')),
      owner_id uuid not null,
      origin_file_id uuid not null unique references document_file(id),
      current_file_id uuid not null unique references document_file(id),
      -- every version of this lineage (origin first), so discovery never takes a kept version for a new file
      version_file_ids uuid[] not null,
      status text not null default 'pending' check (status in ('pending', 'protected', 'failed', 'skipped')),
      level text,
      protected_until timestamptz,
      renew_due_at timestamptz,
      renewals integer not null default 0,
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      last_error text,
      last_checked_at timestamptz,
      last_renewed_at timestamptz,
      created_at timestamptz not null default now()
    );
    -- the pass: rows whose renewal (or retry) is due
    create index archive_file_due_idx on archive_file(status, renew_due_at);
    create index archive_file_retry_idx on archive_file(next_attempt_at) where status = 'failed';
    -- discovery: is this document_file already part of a lineage?
    create index archive_file_versions_idx on archive_file using gin (version_file_ids);
    -- the status page of one agency
    create index archive_file_agency_idx on archive_file(agency_id, status);

    insert into job (type, payload, run_at, dedupe_key) values ('archive.renew', '{}', now(), 'archive.renew:first');
  `.execute(db);
}
