import { sql, type Kysely } from 'kysely';

/**
 * Outgoing documents (văn bản đi, ND 30 Art. 10–18): drafts (their file versions are document_file rows), the review
 * chain, recipients with their QCVN 102 status history, approval delegations, external-signing
 * sessions, the exchange outbox, and the signing certificates the server holds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table outgoing_document (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      created_by uuid not null references app_user(id),
      drafting_unit_id uuid references unit(id),
      type_code text not null,
      subject text not null check (length(subject) between 1 and 500),
      urgency text not null default 'thuong',
      secrecy text not null default 'thuong' check (secrecy in ('thuong', 'mat')),
      is_secret boolean not null generated always as (secrecy = 'mat') stored,
      signer_id uuid references app_user(id),
      signer_competence text check (signer_competence in ('TM', 'KT', 'Q', 'TL', 'TUQ')),
      signer_position text not null default '',
      recipients_text text not null default '',
      archive_note text not null default '',
      copies integer not null default 1 check (copies between 0 and 999),
      due_date date,
      note text not null default '',
      participant_ids uuid[] not null default '{}',
      status text not null default 'draft',
      current_version integer not null default 0,
      current_step_id uuid,
      review_round integer not null default 0,
      approved_by uuid references app_user(id),
      approved_at timestamptz,
      -- where the approval signature's image went (page, rect): the seal covers its left third at issue
      approval_widget jsonb,
      register_id uuid references register(id),
      year integer,
      number integer,
      notation text,
      issued_at timestamptz,
      issued_by uuid references app_user(id),
      replaces_id uuid references outgoing_document(id),
      recall_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      -- Art. 15: a number is unique per register and year (the register is per agency and series)
      unique (register_id, year, number)
    );
    -- work lists: an agency's documents by status, newest first
    create index outgoing_document_agency_status_idx on outgoing_document(agency_id, status, updated_at desc);
    -- "my drafts"
    create index outgoing_document_creator_idx on outgoing_document(created_by, status);
    -- "waiting for my signature"
    create index outgoing_document_signer_idx on outgoing_document(signer_id, status);
    -- the outgoing register view: issued documents of an agency by date
    create index outgoing_document_register_idx on outgoing_document(agency_id, issued_at) where issued_at is not null;

    create table outgoing_review_step (
      id uuid primary key default gen_random_uuid(),
      outgoing_id uuid not null references outgoing_document(id),
      round integer not null,
      seq integer not null,
      reviewer_id uuid not null references app_user(id),
      status text not null default 'pending' check (status in ('pending', 'approved', 'returned', 'forwarded', 'cancelled')),
      comment text not null default '',
      page integer,
      version integer not null,
      acted_at timestamptz,
      created_at timestamptz not null default now()
    );
    -- the chain of one document, in order
    create index outgoing_review_step_doc_idx on outgoing_review_step(outgoing_id, round, seq);
    -- "waiting for my review"
    create index outgoing_review_step_reviewer_idx on outgoing_review_step(reviewer_id) where status = 'pending';

    create table outgoing_review_chain (
      agency_id uuid primary key references agency(id),
      reviewer_ids uuid[] not null default '{}',
      use_unit_head boolean not null default true,
      updated_at timestamptz not null default now()
    );

    create table outgoing_recipient (
      id uuid primary key default gen_random_uuid(),
      outgoing_id uuid not null references outgoing_document(id),
      kind text not null check (kind in ('unit', 'agency', 'external')),
      unit_id uuid references unit(id),
      agency_id uuid references agency(id),
      agency_code text,
      name text not null,
      status_code text,
      status_at timestamptz,
      recall_code text,
      recall_at timestamptz,
      incoming_id uuid,
      created_at timestamptz not null default now()
    );
    -- the recipients of one document (tracking)
    create index outgoing_recipient_doc_idx on outgoing_recipient(outgoing_id);
    -- status updates from a recipient agency on this install
    create index outgoing_recipient_agency_idx on outgoing_recipient(outgoing_id, agency_id);

    create table outgoing_recipient_event (
      id bigserial primary key,
      recipient_id uuid not null references outgoing_recipient(id),
      code text not null check (code in ('01', '02', '03', '04', '05', '06', '13', '15', '16')),
      at timestamptz not null,
      description text not null default '',
      created_at timestamptz not null default now()
    );
    -- one recipient's timeline
    create index outgoing_recipient_event_idx on outgoing_recipient_event(recipient_id, at);

    create table outgoing_delegation (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      from_user_id uuid not null references app_user(id),
      to_user_id uuid not null references app_user(id),
      starts_on date not null,
      ends_on date not null,
      revoked_at timestamptz,
      created_at timestamptz not null default now(),
      check (ends_on >= starts_on),
      check (from_user_id <> to_user_id)
    );
    -- active delegations of a leader, and those given to a deputy
    create index outgoing_delegation_from_idx on outgoing_delegation(from_user_id, ends_on);
    create index outgoing_delegation_to_idx on outgoing_delegation(to_user_id, ends_on);

    create table outgoing_signing_session (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references app_user(id),
      items jsonb not null,
      expires_at timestamptz not null,
      finished_at timestamptz,
      created_at timestamptz not null default now()
    );

    create table exchange_outbox (
      id uuid primary key default gen_random_uuid(),
      outgoing_id uuid not null references outgoing_document(id),
      recipient_agency_code text not null,
      package_kind text not null check (package_kind in ('edoc', 'status')),
      business_doc_type smallint not null default 0 check (business_doc_type between 0 and 3),
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts integer not null default 0,
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      sent_at timestamptz
    );
    -- the connector's queue: pending packages, oldest first
    create index exchange_outbox_pending_idx on exchange_outbox(created_at) where status = 'pending';
    -- packages of one document
    create index exchange_outbox_doc_idx on exchange_outbox(outgoing_id);

    create table signing_certificate (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      purpose text not null check (purpose in ('seal', 'personal')),
      user_id uuid references app_user(id),
      subject text not null,
      serial_hex text not null,
      not_before timestamptz not null,
      not_after timestamptz not null,
      cert_der bytea not null,
      chain_der bytea[] not null default '{}',
      -- the PKCS#12 the server holds (seal: always; personal: demo mode only), and the image shown
      p12_sha256 text references blob(sha256),
      p12_secret text,
      image_sha256 text references blob(sha256),
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      check ((purpose = 'personal') = (user_id is not null))
    );
    -- the active seal certificate of an agency, the personal one of a user
    create index signing_certificate_agency_idx on signing_certificate(agency_id, purpose) where is_active;
    create index signing_certificate_user_idx on signing_certificate(user_id) where is_active;
  `.execute(db);
}
