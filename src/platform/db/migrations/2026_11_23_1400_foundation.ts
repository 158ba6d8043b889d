import { sql, type Kysely } from 'kysely';

/** Agencies, units, users, sessions, the audit chain, the job queue and the blob index. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table agency (
      id uuid primary key default gen_random_uuid(),
      parent_id uuid references agency(id),
      code text not null unique check (code ~ '^\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}$'),
      name text not null check (length(name) between 2 and 300),
      short_name text not null check (length(short_name) between 1 and 30),
      level text not null check (level in ('central', 'province', 'department', 'district', 'commune', 'other')),
      place_name text not null default '',
      address text not null default '',
      phone text not null default '',
      email text not null default '',
      website text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    -- lists the children of an agency (province admin's agency tree)
    create index agency_parent_idx on agency(parent_id);

    create table unit (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      parent_id uuid references unit(id),
      name text not null check (length(name) between 1 and 300),
      short_name text not null default '',
      sort_order integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (agency_id, name, parent_id)
    );
    -- the unit tree of one agency
    create index unit_agency_idx on unit(agency_id, parent_id);

    create table app_user (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      unit_id uuid references unit(id),
      username text not null check (username ~ '^[a-z0-9._-]{3,64}$'),
      email text,
      full_name text not null check (length(full_name) between 1 and 200),
      position text not null default '',
      roles text[] not null default '{}',
      password_hash text not null,
      is_active boolean not null default true,
      must_change_password boolean not null default false,
      totp_secret text,
      totp_enabled boolean not null default false,
      totp_last_step bigint,
      failed_login_count integer not null default 0,
      locked_until timestamptz,
      password_changed_at timestamptz not null default now(),
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    -- login by username; usernames are unique per install
    create unique index app_user_username_key on app_user(username);
    -- login by email and forgot-password by email, case-insensitively
    create unique index app_user_email_key on app_user(lower(email)) where email is not null;
    -- user lists of one agency, by unit
    create index app_user_agency_idx on app_user(agency_id, unit_id);

    create table session (
      id text primary key,
      user_id uuid not null references app_user(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text not null default '',
      user_agent text not null default ''
    );
    -- log out everywhere: all sessions of one user
    create index session_user_idx on session(user_id);

    create table password_reset (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references app_user(id) on delete cascade,
      token_hash text not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );

    create table login_attempt (
      id bigserial primary key,
      key text not null,
      at timestamptz not null default now()
    );
    -- rate limit: recent attempts of one IP or one login name
    create index login_attempt_key_idx on login_attempt(key, at);

    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      agency_id uuid,
      actor_id uuid,
      actor_name text not null default '',
      ip text not null default '',
      request_id text not null default '',
      type text not null,
      entity_type text not null default '',
      entity_id text not null default '',
      data jsonb not null default '{}',
      prev_hash text not null,
      hash text not null
    );
    -- the history of one entity (document timelines)
    create index audit_log_entity_idx on audit_log(entity_type, entity_id, id);
    -- an agency's audit listing
    create index audit_log_agency_idx on audit_log(agency_id, id);

    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$;
    create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only();

    create table job (
      id bigserial primary key,
      type text not null,
      payload jsonb not null default '{}',
      dedupe_key text unique,
      run_at timestamptz not null default now(),
      attempts integer not null default 0,
      max_attempts integer not null default 8,
      locked_at timestamptz,
      locked_by text,
      last_error text,
      done_at timestamptz,
      failed_at timestamptz,
      created_at timestamptz not null default now()
    );
    -- the worker's claim query: due jobs not done or failed, oldest first
    create index job_due_idx on job(run_at) where done_at is null and failed_at is null;

    create table blob (
      sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
      size bigint not null,
      content_type text not null default 'application/octet-stream',
      created_at timestamptz not null default now()
    );

    create table mail_log (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid references agency(id),
      to_address text not null,
      subject text not null,
      transport text not null check (transport in ('smtp', 'file')),
      file_name text,
      created_at timestamptz not null default now()
    );
    -- an admin's list of mail written to the outbox folder
    create index mail_log_agency_idx on mail_log(agency_id, created_at);
  `.execute(db);
}
