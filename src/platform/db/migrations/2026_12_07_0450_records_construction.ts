import { sql, type Kysely } from 'kysely';

/**
 * Construction files (hồ sơ xây dựng cơ bản, XDCB): ND 30 Art. 30.2.a, «Đối với hồ sơ, tài liệu xây dựng cơ bản:
 * Trong thời hạn 03 tháng kể từ ngày công trình được quyết toán». A file marked so is due three months after
 * the works' final settlement (HAND_OVER_LEGAL_DUE), not a year after closing; without a settlement date yet, it is not due.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table records_file
      add column is_construction boolean not null default false,
      add column construction_settled_on date,
      add constraint records_file_construction_settled check (construction_settled_on is null or is_construction);
  `.execute(db);
}
