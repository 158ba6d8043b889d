import { sql, type Kysely } from 'kysely';

/**
 * Changes of a user's access — roles, unit, account active — waiting for a leader's confirmation (ND 30
 * Phụ lục VI III.3.c: «Cảnh báo sự thay đổi về quyền truy cập … cho đến khi có xác nhận của người có thẩm
 * quyền»). A row is written in the transaction that makes the change; confirming it is the only update.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table access_change (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      user_id uuid not null references app_user(id),
      changed_by uuid references app_user(id),
      changed_at timestamptz not null default now(),
      before jsonb,
      after jsonb not null,
      confirmed_by uuid references app_user(id),
      confirmed_at timestamptz,
      check ((confirmed_by is null) = (confirmed_at is null))
    );
    -- what still waits, per agency, oldest first (the warning and its count)
    create index access_change_pending_idx on access_change(agency_id, changed_at) where confirmed_at is null;
    create index access_change_user_idx on access_change(user_id, changed_at desc);
  `.execute(db);
}
