import { sql, type Kysely } from 'kysely';

/**
 * The history of a file's keep-back (ND 30 Art. 31.3.d): every request — the first one and each further extension
 * («gia hạn») of a keep agreed — with the day asked, the reason, who asked, and the leader's answer. records_file.keep_*
 * stays the keep in force (HAND_OVER_DUE reads it); these rows are what the file page lists. Reopening the file clears
 * its keep: its rows are marked cleared_at, a request still waiting is cancelled. One request waits at a time.
 * The keeps already asked become the first rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table records_file_keep (
      id uuid primary key default gen_random_uuid(),
      file_id uuid not null references records_file(id),
      kind text not null check (kind in ('keep', 'extend')),
      until date not null,
      previous_until date,
      reason text not null,
      requested_by uuid references app_user(id),
      requested_at timestamptz not null default now(),
      status text not null check (status in ('requested', 'approved', 'refused', 'cancelled')),
      decided_by uuid references app_user(id),
      decided_at timestamptz,
      note text not null default '',
      cleared_at timestamptz,
      check ((kind = 'extend') = (previous_until is not null))
    );
    -- the file page's history, oldest first
    create index records_file_keep_file_idx on records_file_keep(file_id, requested_at);
    -- one request waits for a leader at a time (the first one or an extension)
    create unique index records_file_keep_waiting_idx on records_file_keep(file_id) where status = 'requested';
    insert into records_file_keep (file_id, kind, until, reason, requested_by, requested_at, status, decided_by, decided_at, note)
      select id, 'keep', keep_until, coalesce(keep_reason, ''), keep_requested_by, keep_requested_at, keep_status, keep_decided_by, keep_decided_at, coalesce(keep_note, '')
      from records_file where keep_status is not null;
  `.execute(db);
}
