import { sql, type Kysely } from 'kysely';

/**
 * Work files (hồ sơ công việc, ND 30 Art. 28–30 and Phụ lục V–VI): the agency's yearly file plan
 * (Danh mục hồ sơ), the files opened from it (or ad hoc), and the documents filed in them. A document
 * may sit in several files without being copied (Phụ lục VI III.4.e). A handed-over file
 * (nộp lưu vào Lưu trữ cơ quan) is read-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table records_plan_entry (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      year integer not null check (year between 2000 and 2100),
      heading text not null default '',
      notation text not null check (length(notation) between 1 and 20),
      title text not null check (length(title) between 1 and 500),
      -- 'permanent' (Vĩnh viễn) or a number of years
      retention text not null check (retention ~ '^(permanent|[0-9]{1,2})$'),
      unit_id uuid references unit(id),
      owner_id uuid references app_user(id),
      note text not null default '',
      created_by uuid references app_user(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    -- one số/ký hiệu per plan; also the plan page's list (agency, year, notation order)
    create unique index records_plan_entry_notation_idx on records_plan_entry(agency_id, year, notation);

    create table records_file (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      year integer not null check (year between 2000 and 2100),
      plan_entry_id uuid references records_plan_entry(id),
      notation text not null check (length(notation) between 1 and 20),
      title text not null check (length(title) between 1 and 500),
      retention text not null check (retention ~ '^(permanent|[0-9]{1,2})$'),
      unit_id uuid references unit(id),
      owner_id uuid not null references app_user(id),
      status text not null default 'open' check (status in ('open', 'closed', 'handed_over')),
      description text not null default '',
      start_date date,
      end_date date,
      doc_total integer not null default 0,
      page_total integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      closed_at timestamptz,
      closed_by uuid references app_user(id),
      handed_over_at timestamptz,
      handed_over_by uuid references app_user(id)
    );
    -- one file per số/ký hiệu and year in an agency (the FileCode: agency code, year, notation)
    create unique index records_file_notation_idx on records_file(agency_id, year, notation);
    -- the lists: mine, my unit's, the agency's, by year and status
    create index records_file_owner_idx on records_file(owner_id, year);
    create index records_file_unit_idx on records_file(unit_id, year);
    create index records_file_agency_idx on records_file(agency_id, year, status);

    create table records_file_document (
      id uuid primary key default gen_random_uuid(),
      file_id uuid not null references records_file(id),
      owner_type text not null check (owner_type in ('incoming', 'outgoing')),
      owner_id uuid not null,
      added_by uuid references app_user(id),
      added_at timestamptz not null default now(),
      unique (file_id, owner_type, owner_id)
    );
    -- a document's page: which files hold it; the archive: documents of handed-over files
    create index records_file_document_owner_idx on records_file_document(owner_type, owner_id);
  `.execute(db);
}
