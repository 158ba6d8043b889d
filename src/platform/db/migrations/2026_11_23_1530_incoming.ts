import { sql, type Kysely } from 'kysely';

/**
 * Incoming documents (văn bản đến, ND 30 Art. 19–24): the register entry with its OCR text for search,
 * assignments (chủ trì / phối hợp / để biết, re-assigned inside units), progress notes and results,
 * direction delegations, statuses sent back to the sender (QCVN 102 01–06) and in-app notices.
 * Also lets the exchange outbox carry status packages about incoming documents (no outgoing row).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table incoming_document (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      source text not null check (source in ('paper', 'internal', 'external')),
      status text not null default 'received'
        check (status in ('received', 'registered', 'forwarded', 'assigned', 'in_progress', 'done', 'refused')),
      register_id uuid references register(id),
      arrival_year integer,
      arrival_number integer,
      arrived_at timestamptz not null default now(),
      registered_at timestamptz,
      registered_by uuid references app_user(id),
      issuer_name text not null default '',
      issuer_code text not null default '',
      issuer_agency_id uuid references agency(id),
      number text not null default '',
      notation text not null default '',
      document_date date,
      type_code text,
      subject text not null default '',
      urgency text not null default 'thuong',
      secrecy text not null default 'thuong' check (secrecy in ('thuong', 'mat')),
      is_secret boolean not null generated always as (secrecy = 'mat') stored,
      page_count integer,
      signer_name text not null default '',
      signer_position text not null default '',
      due_date date,
      notes text not null default '',
      duplicate_of_id uuid references incoming_document(id),
      refused_reason text,
      source_outgoing_id uuid,
      external_document_id text,
      ocr_status text not null default 'none'
        check (ocr_status in ('none', 'pending', 'done', 'failed', 'unavailable')),
      ocr_error text,
      ocr_text text,
      -- NFC-normalised, lower-cased metadata + OCR text (done in the app, so PGlite's C locale does not matter)
      search_text text not null default '',
      search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored,
      verify_status text not null default 'none' check (verify_status in ('none', 'pending', 'done', 'failed')),
      verify_report jsonb,
      forwarded_to uuid references app_user(id),
      forwarded_at timestamptz,
      direction text,
      directed_by uuid references app_user(id),
      directed_at timestamptz,
      closed_at timestamptz,
      closed_by uuid references app_user(id),
      created_by uuid references app_user(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      -- Art. 22.2: số đến runs per register and year
      unique (register_id, arrival_year, arrival_number)
    );
    -- lists (inbox, register): an agency's documents by status, urgent first then newest
    create index incoming_document_agency_idx on incoming_document(agency_id, status, arrived_at desc);
    -- the register book of one year in số đến order
    create index incoming_document_register_idx on incoming_document(agency_id, arrival_year, arrival_number) where arrival_number is not null;
    -- the leader's inbox: documents forwarded to them
    create index incoming_document_forwarded_idx on incoming_document(forwarded_to) where status = 'forwarded';
    -- duplicate check: same issuer, số/ký hiệu and date
    create index incoming_document_dup_idx on incoming_document(agency_id, notation, document_date);
    -- full-text search of metadata and OCR text
    create index incoming_document_search_idx on incoming_document using gin(search_vector);
    -- statuses back for a document sent from this install
    create index incoming_document_source_outgoing_idx on incoming_document(source_outgoing_id) where source_outgoing_id is not null;

    create table incoming_assignment (
      id uuid primary key default gen_random_uuid(),
      incoming_id uuid not null references incoming_document(id),
      role text not null check (role in ('lead', 'support', 'info')),
      unit_id uuid references unit(id),
      user_id uuid references app_user(id),
      parent_id uuid references incoming_assignment(id),
      assigned_by uuid not null references app_user(id),
      assigned_at timestamptz not null default now(),
      deadline date,
      status text not null default 'pending' check (status in ('pending', 'in_progress', 'done')),
      done_at timestamptz,
      note text not null default '',
      is_active boolean not null default true,
      check ((unit_id is null) <> (user_id is null))
    );
    -- the participants of one document
    create index incoming_assignment_doc_idx on incoming_assignment(incoming_id) where is_active;
    -- "my tasks"
    create index incoming_assignment_user_idx on incoming_assignment(user_id, status) where is_active;
    -- "my unit's tasks"
    create index incoming_assignment_unit_idx on incoming_assignment(unit_id, status) where is_active;

    create table incoming_progress (
      id uuid primary key default gen_random_uuid(),
      incoming_id uuid not null references incoming_document(id),
      assignment_id uuid references incoming_assignment(id),
      author_id uuid not null references app_user(id),
      kind text not null check (kind in ('progress', 'result', 'done', 'closed', 'reopened')),
      text text not null default '',
      file_id uuid references document_file(id),
      response_outgoing_id uuid,
      response_notation text,
      response_date date,
      created_at timestamptz not null default now()
    );
    -- one document's progress notes in order
    create index incoming_progress_doc_idx on incoming_progress(incoming_id, created_at);
    -- ResponseFor: the incoming documents an outgoing reply answers
    create index incoming_progress_response_idx on incoming_progress(response_outgoing_id) where response_outgoing_id is not null;

    create table incoming_delegation (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      leader_id uuid not null references app_user(id),
      deputy_id uuid not null references app_user(id),
      starts_on date not null,
      ends_on date not null,
      revoked_at timestamptz,
      created_at timestamptz not null default now(),
      check (ends_on >= starts_on),
      check (leader_id <> deputy_id)
    );
    -- the leaders a deputy directs for today
    create index incoming_delegation_deputy_idx on incoming_delegation(deputy_id, ends_on) where revoked_at is null;

    create table incoming_status_out (
      id bigserial primary key,
      incoming_id uuid not null references incoming_document(id),
      code text not null check (code in ('01', '02', '03', '04', '05', '06')),
      at timestamptz not null,
      description text not null default '',
      channel text not null check (channel in ('internal', 'exchange')),
      created_at timestamptz not null default now()
    );
    -- the statuses sent for one document
    create index incoming_status_out_doc_idx on incoming_status_out(incoming_id, id);

    create table incoming_notice (
      id bigserial primary key,
      user_id uuid not null references app_user(id),
      incoming_id uuid not null references incoming_document(id),
      kind text not null,
      message text not null,
      created_at timestamptz not null default now(),
      read_at timestamptz
    );
    -- a user's unread notices
    create index incoming_notice_user_idx on incoming_notice(user_id, id desc) where read_at is null;

    -- status packages about incoming documents have no outgoing document
    alter table exchange_outbox alter column outgoing_id drop not null;
    alter table exchange_outbox add column incoming_id uuid references incoming_document(id);
    alter table exchange_outbox add constraint exchange_outbox_owner_check check (outgoing_id is not null or incoming_id is not null);

    -- the daily deadline reminder re-enqueues itself; this is its first run
    insert into job (type, payload, run_at, dedupe_key) values ('incoming.daily_reminder', '{}', now(), 'incoming.daily_reminder:first');
  `.execute(db);
}
