import { sql, type Kysely } from 'kysely';

/**
 * The install's backup administrators are told when a backup fails or none has succeeded for too long
 * (ND 30 Phụ lục VI III.5.g): a notice in their «Thông báo», about no document — the only notices that
 * are not (kinds backup_failed, backup_stale); and the hourly check of the backups' freshness, first run now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table incoming_notice drop constraint incoming_notice_one_subject;
    alter table incoming_notice add constraint incoming_notice_one_subject check (
      num_nonnulls(incoming_id, outgoing_id, records_file_id) = case when kind in ('backup_failed', 'backup_stale') then 0 else 1 end);
    -- the freshness check's last warning (max(created_at) of a kind) and the unread warnings a successful backup takes back
    create index incoming_notice_backup_idx on incoming_notice(created_at) where kind in ('backup_failed', 'backup_stale');

    insert into job (type, payload, run_at, dedupe_key) values ('backup.watch', '{}', now(), 'backup.watch:first');
  `.execute(db);
}
