import { sql, type Kysely } from 'kysely';
import type { DB } from '../types.gen.ts';
import { nameSortKey } from '../../../domain/users/users.sort-key.ts';

/**
 * Lists of people (the users page, the bút phê / phân công pickers) ordered by full_name in code-point order:
 * «Vũ Thị Lan» before «Đỗ Văn Hùng», lowercase and diacritics out of place. Each person now has
 * name_sort_key, the key of nameSortKey (domain/users/users.sort-key.ts: by tên, then họ and tên đệm, in the
 * Vietnamese alphabet and tones), compared byte by byte (`collate "C"`, whatever the server's locale; PGlite
 * has no ICU). The people already there get it here, from the domain's own function, so they read exactly as
 * new ones; no index: an agency's people are ordered after their rank, an expression, and are few.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table app_user add column name_sort_key text collate "C"`.execute(db);
  await setNameSortKeys(db);
  await sql`alter table app_user alter column name_sort_key set not null`.execute(db);
}

/** Writes each person's name sort key, 500 rows at a time; running it again changes nothing. */
export async function setNameSortKeys(db: Kysely<unknown> | Kysely<DB>): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    // raw SQL with its own aliases: the migration runs with or without the app's camel-case plugin (npm run db:codegen has none)
    const { rows } = await sql<{ id: string; fullName: string }>`
      select id, full_name as "fullName" from app_user where id > ${after} order by id limit 500`.execute(db);
    for (const row of rows) await sql`update app_user set name_sort_key = ${nameSortKey(row.fullName)} where id = ${row.id}`.execute(db);
    const last = rows.at(-1);
    if (!last) return;
    after = last.id;
  }
}
