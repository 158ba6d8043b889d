import { sql, type Kysely } from 'kysely';

/**
 * A certificate nearing its end is told about ahead (the daily job certificates.expiry_notice): the agency's
 * admins 30, 14, 7 and 1 day(s) before the seal expires, a leader before their personal certificate does.
 * `expiry_notified_days`: the smallest of those thresholds already told for the certificate (null: none), so
 * a second run the same day, or a job run twice, tells nothing again. The notices are about no document
 * (kinds seal_expiring, certificate_expiring), like the backup warnings. The job's first run is now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table signing_certificate add column expiry_notified_days smallint;
    alter table incoming_notice drop constraint incoming_notice_one_subject;
    alter table incoming_notice add constraint incoming_notice_one_subject check (
      num_nonnulls(incoming_id, outgoing_id, records_file_id) = case when kind in ('backup_failed', 'backup_stale', 'seal_expiring', 'certificate_expiring') then 0 else 1 end);

    insert into job (type, payload, run_at, dedupe_key) values ('certificates.expiry_notice', '{}', now(), 'certificates.expiry_notice:first');
  `.execute(db);
}
