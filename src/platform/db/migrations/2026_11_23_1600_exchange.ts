import { sql, type Kysely } from 'kysely';

/**
 * The exchange connector (liên thông văn bản qua trục): each agency's axis endpoint and credentials, the
 * agency directory synced from the axis, the DocumentIds this install sent (to route statuses back),
 * every package received (idempotency and the log of refused ones), recall/update requests waiting for
 * the clerk's answer, retry scheduling on the outbox, and a 'recalled' state for incoming documents.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table exchange_endpoint (
      agency_id uuid primary key references agency(id),
      endpoint text not null,
      system_id text not null,
      -- the SDK protocol HMACs with the shared secret itself, so it cannot be hashed (as on the axis)
      secret text not null,
      is_enabled boolean not null default true,
      last_poll_at timestamptz,
      last_error text,
      updated_at timestamptz not null default now()
    );

    create table exchange_directory_agency (
      code text primary key,
      name text not null,
      parent_code text,
      mail text not null default '',
      is_deleted boolean not null default false,
      synced_at timestamptz not null default now()
    );
    -- the recipient picker: live agencies by name
    create index exchange_directory_agency_name_idx on exchange_directory_agency(name) where not is_deleted;

    create table exchange_sender_pin (
      agency_id uuid not null references agency(id),
      sender_code text not null,
      cert_sha256 text not null,
      subject text not null default '',
      pinned_at timestamptz not null default now(),
      primary key (agency_id, sender_code)
    );

    create table exchange_document (
      agency_id uuid not null references agency(id),
      document_id text not null,
      outgoing_id uuid not null references outgoing_document(id),
      created_at timestamptz not null default now(),
      primary key (agency_id, document_id)
    );
    -- the DocumentId of an outgoing document (recall, replacement)
    create index exchange_document_outgoing_idx on exchange_document(outgoing_id);

    create table exchange_received (
      id bigserial primary key,
      agency_id uuid not null references agency(id),
      axis_doc_id text not null,
      message_type text not null check (message_type in ('edoc', 'status')),
      -- From + DocumentId + BussinessDocType (edoc) or From + ResponseFor/DocumentId + StatusCode + Timestamp (status)
      package_key text,
      outcome text not null check (outcome in ('accepted', 'duplicate', 'refused', 'ignored')),
      reason text not null default '',
      sender_code text not null default '',
      incoming_id uuid references incoming_document(id),
      received_at timestamptz not null default now(),
      unique (agency_id, axis_doc_id)
    );
    -- replay detection: a package already taken in (accepted) under another axis DocId
    create index exchange_received_key_idx on exchange_received(agency_id, package_key) where outcome = 'accepted';
    -- the admin's log of refused packages, newest first
    create index exchange_received_refused_idx on exchange_received(agency_id, id desc) where outcome = 'refused';

    create table exchange_request (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      incoming_id uuid not null references incoming_document(id),
      kind text not null check (kind in ('recall', 'update')),
      document_id text not null,
      sender_code text not null,
      reason text not null default '',
      payload jsonb not null default '{}',
      status text not null default 'pending' check (status in ('pending', 'agreed', 'refused')),
      answered_by uuid references app_user(id),
      answered_at timestamptz,
      created_at timestamptz not null default now()
    );
    -- the clerk's list of requests to answer
    create index exchange_request_pending_idx on exchange_request(agency_id, created_at) where status = 'pending';
    create index exchange_request_incoming_idx on exchange_request(incoming_id);

    alter table exchange_outbox add column next_attempt_at timestamptz not null default now();
    alter table exchange_outbox add column axis_doc_id text;
    drop index exchange_outbox_pending_idx;
    -- the connector's queue: pending packages that are due, oldest first
    create index exchange_outbox_pending_idx on exchange_outbox(next_attempt_at, created_at) where status = 'pending';
    -- status packages of one incoming document
    create index exchange_outbox_incoming_idx on exchange_outbox(incoming_id) where incoming_id is not null;

    -- ND 30 Art. 18.4.b: an agreed recall takes the document out of the recipient's work (kept in history)
    alter table incoming_document drop constraint incoming_document_status_check;
    alter table incoming_document add constraint incoming_document_status_check
      check (status in ('received', 'registered', 'forwarded', 'assigned', 'in_progress', 'done', 'refused', 'recalled'));

    -- the connector's tick (send pending packages, poll the axis) re-enqueues itself; this is its first run
    insert into job (type, payload, run_at, dedupe_key) values ('exchange.tick', '{}', now(), 'exchange.tick:first');
  `.execute(db);
}
