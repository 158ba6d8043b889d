import { sql, type Kysely } from 'kysely';

/**
 * Who opened or downloaded which document or work file (ND 30 Phụ lục VI III.5.a «lịch sử truy cập và
 * xem văn bản», III.6.a, III.6.l). Kept apart from audit_log: a view is written on every page load, and
 * the audit chain has a single serialised writer. Append-only like audit_log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table access_log (
      id bigserial primary key,
      agency_id uuid not null references agency(id),
      user_id uuid not null references app_user(id),
      entity_type text not null check (entity_type in ('incoming', 'outgoing', 'records_file')),
      entity_id uuid not null,
      action text not null check (action in ('view', 'download')),
      file_id uuid,
      file_name text,
      at timestamptz not null default now(),
      ip text not null default ''
    );
    -- the history and counts of one document or file (GET /api/access/:entityType/:id)
    create index access_log_entity_idx on access_log(entity_type, entity_id, at desc);
    -- an agency's views per day and most-viewed documents (GET /api/access/stats)
    create index access_log_agency_idx on access_log(agency_id, at);

    -- any table's: names the table it guards (audit_log's own function predates it)
    create function refuse_append_only_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name;
    end $$;
    create trigger access_log_no_update before update or delete on access_log for each row execute function refuse_append_only_change();
  `.execute(db);
}
