import { sql, type Kysely } from 'kysely';
import type { DB } from '../types.gen.ts';

/**
 * The «tên cơ quan, tổ chức chủ quản trực tiếp» an agency's papers print above its name (ND 30 Phụ lục I, ô 2:
 * "nếu có"). Until now every printed form took the agency's parent on the install, so a commune's papers read
 * «ỦY BAN NHÂN DÂN TỈNH …» over «ỦY BAN NHÂN DÂN XÃ …», which no Ủy ban nhân dân prints. Now a column of its own,
 * the admin's to change; existing agencies get what `defaultGoverningName` (orgs/orgs.service.ts) gives a new
 * one: nothing for an agency without a parent or for an Ủy ban / Hội đồng nhân dân, its parent's name otherwise.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table agency add column governing_name text`.execute(db);
  await setGoverningNames(db);
}

/** An Ủy ban or Hội đồng nhân dân prints no cơ quan chủ quản (the same test as orgs/orgs.service.ts, kept here so this migration never changes). */
const PRINTS_NO_GOVERNING = /^\s*(?:ủy|uỷ) ban nhân dân|^\s*hội đồng nhân dân/iu;

/** The backfill, by the same rule as defaultGoverningName (in JavaScript: PostgreSQL's lower() of «Ủ» follows the database's locale). */
export async function setGoverningNames(db: Kysely<unknown> | Kysely<DB>): Promise<void> {
  const rows = await sql<{ id: string; name: string; parentName: string }>`
    select a.id, a.name, p.name as "parentName" from agency a join agency p on p.id = a.parent_id`.execute(db);
  for (const r of rows.rows) {
    if (PRINTS_NO_GOVERNING.test(r.name.normalize('NFC'))) continue;
    await sql`update agency set governing_name = ${r.parentName} where id = ${r.id}`.execute(db);
  }
}
