import { sql, type Kysely } from 'kysely';

/** access_log also records print copies (ND 30 Phụ lục VI III.6.k: «đánh dấu vào văn bản … được in ra từ Hệ thống»; files/print-copy.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table access_log drop constraint access_log_action_check;
    alter table access_log add constraint access_log_action_check check (action in ('view', 'download', 'print'));
  `.execute(db);
}
