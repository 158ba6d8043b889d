import { sql, type Kysely } from 'kysely';

/**
 * The document axis (trục liên thông, `vanthu axis serve`): the agency systems it serves, the agency
 * directory, accepted packages, per-recipient deliveries and the hop trace. The axis runs in its own
 * database; these tables are empty in an agency's vanthu database.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table axis_system (
      system_id text primary key check (length(system_id) between 1 and 100),
      name text not null default '',
      -- the HMAC key itself: the SDK protocol signs with the shared secret, so it cannot be hashed
      secret text not null check (length(secret) >= 8),
      kind text not null check (kind in ('agency', 'axis')),
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table axis_agency (
      id bigserial primary key,
      code text not null unique check (length(code) between 1 and 100),
      pid text not null default '0',
      name text not null default '',
      mail text not null default '',
      center_code text not null default '',
      is_agency boolean not null default true,
      -- the system that receives this agency's packages here (null: known only from the parent's directory)
      system_id text references axis_system(system_id),
      source text not null check (source in ('local', 'parent')),
      version integer not null default 1,
      deleted boolean not null default false,
      modified_at timestamptz not null default now()
    );
    -- routing: the live agencies one system serves (registerAgency ownership, forwarding to a child axis)
    create index axis_agency_system_idx on axis_agency(system_id) where not deleted;

    create table axis_package (
      doc_id uuid primary key,
      sender_system text not null,
      service_type text not null default 'eDoc',
      message_type text not null check (message_type in ('edoc', 'status')),
      -- SHA-256 of the package as received (blob key) and of what recipients get (with this hop's TraceHeader)
      sha256 text not null,
      delivered_sha256 text not null,
      size bigint not null,
      hash_file text not null default '',
      from_header text not null default '',
      to_header text not null default '',
      from_code text not null default '',
      package_id text,
      title text not null default '',
      notation text not null default '',
      created_at timestamptz not null default now()
    );
    -- replay of the same bytes (same messagetype) by the same system returns the first DocId
    create unique index axis_package_replay_key on axis_package(sender_system, message_type, sha256);
    -- the same package (edXML DocumentId, status code…) rebuilt and sent again is stored once
    create unique index axis_package_package_key on axis_package(sender_system, message_type, package_id) where package_id is not null;
    -- getSentEdocList of one system
    create index axis_package_sender_idx on axis_package(sender_system, message_type, created_at);

    create table axis_delivery (
      doc_id uuid not null references axis_package(doc_id),
      recipient_code text not null,
      -- the local system that pulls it; null while it waits for (or went to) the parent axis
      system_id text references axis_system(system_id),
      route text not null check (route in ('local', 'parent', 'none')),
      status text not null default 'initial',
      status_desc text not null default '',
      parent_doc_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (doc_id, recipient_code)
    );
    -- getReceivedEdocList: what one system has not acknowledged yet
    create index axis_delivery_inbox_idx on axis_delivery(system_id, status, created_at) where system_id is not null;

    create table axis_trace (
      id bigserial primary key,
      doc_id uuid not null references axis_package(doc_id),
      organ_id text not null,
      event text not null,
      detail text not null default '',
      at timestamptz not null default now()
    );
    -- the hop history of one package
    create index axis_trace_doc_idx on axis_trace(doc_id, id);

  `.execute(db);
}
