import { sql, type Kysely } from 'kysely';

/** Files attached to documents (drafts, versions, scans, OCR output, signed PDFs): rows over blobs. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table document_file (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      owner_type text not null check (owner_type in ('incoming', 'outgoing', 'record')),
      owner_id uuid not null,
      kind text not null check (kind in ('main', 'appendix', 'scan', 'ocr', 'signed', 'attachment', 'result', 'source')),
      version integer not null default 1 check (version >= 1),
      file_name text not null check (length(file_name) between 1 and 255),
      content_type text not null,
      size bigint not null check (size >= 0),
      sha256 text not null references blob(sha256),
      page_count integer,
      note text not null default '',
      created_by uuid references app_user(id),
      created_at timestamptz not null default now()
    );
    -- the files of one document, newest version first
    create index document_file_owner_idx on document_file(owner_type, owner_id, kind, version desc);
  `.execute(db);
}
