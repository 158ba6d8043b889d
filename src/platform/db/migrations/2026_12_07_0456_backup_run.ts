import { sql, type Kysely } from 'kysely';

/**
 * The backups the server made (ND 30 Phụ lục VI III.5.g: sao lưu định kỳ, đột xuất): one row per run,
 * daily or asked for by an administrator, with its outcome; and the daily job's first run (02:00 Vietnam
 * time = 19:00 UTC, the next one after this migration).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table backup_run (
      id uuid primary key default gen_random_uuid(),
      trigger text not null check (trigger in ('scheduled', 'manual')),
      requested_by uuid references app_user(id),
      status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      file text,
      size bigint,
      error text
    );
    create index backup_run_created_idx on backup_run(created_at desc);

    -- the daily backup re-enqueues itself; this is its first run
    insert into job (type, payload, run_at, dedupe_key)
    values ('backup.scheduled', '{}', date_trunc('day', now() - interval '19 hours', 'UTC') + interval '1 day 19 hours', 'backup.scheduled:first');
  `.execute(db);
}
