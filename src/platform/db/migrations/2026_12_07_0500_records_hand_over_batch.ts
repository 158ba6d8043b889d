import { sql, type Kysely } from 'kysely';

/**
 * A hand-over batch (đợt nộp lưu, ND 30 Art. 30.3): the closed files of one unit handed over together to the
 * agency archive, with their Mục lục hồ sơ, tài liệu nộp lưu and the Biên bản giao nhận hồ sơ, tài liệu — who
 * handed them over and when, and, once the archive takes them in, who received them and when. Each handed-over
 * file names its batch; a single file handed over is a batch of one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table records_hand_over_batch (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      unit_id uuid references unit(id),
      handed_over_by uuid not null references app_user(id),
      handed_over_at timestamptz not null default now(),
      note text not null default '',
      received_by uuid references app_user(id),
      received_at timestamptz,
      check ((received_by is null) = (received_at is null))
    );
    -- the archive's «Chờ tiếp nhận» list, per agency, oldest first
    create index records_hand_over_batch_agency_idx on records_hand_over_batch(agency_id, handed_over_at);
    alter table records_file add column hand_over_batch_id uuid references records_hand_over_batch(id);
    create index records_file_hand_over_batch_idx on records_file(hand_over_batch_id) where hand_over_batch_id is not null;
  `.execute(db);
}
