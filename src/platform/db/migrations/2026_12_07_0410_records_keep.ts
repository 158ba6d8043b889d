import { sql, type Kysely } from 'kysely';

/**
 * Keeping a due file back (ND 30 Art. 31.3.d: «Trường hợp đơn vị, cá nhân cần giữ lại hồ sơ, tài liệu đã đến hạn
 * nộp lưu thì phải được người đứng đầu cơ quan, tổ chức đồng ý … Thời hạn giữ lại … không quá 02 năm kể từ ngày
 * đến hạn nộp lưu»): the keeper's request (until when, why), and the leader's answer. An approved keep moves the
 * file's hand-over date to keep_until (HAND_OVER_DUE); reopening the file clears it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table records_file
      add column keep_status text check (keep_status in ('requested', 'approved', 'refused')),
      add column keep_until date,
      add column keep_reason text,
      add column keep_requested_by uuid references app_user(id),
      add column keep_requested_at timestamptz,
      add column keep_decided_by uuid references app_user(id),
      add column keep_decided_at timestamptz,
      add column keep_note text,
      add constraint records_file_keep_complete check (keep_status is null or (keep_until is not null and keep_requested_at is not null));
    -- the Danh mục hồ sơ giữ lại: an agency's approved keeps
    create index records_file_kept_idx on records_file(agency_id, year) where keep_status = 'approved';
  `.execute(db);
}
