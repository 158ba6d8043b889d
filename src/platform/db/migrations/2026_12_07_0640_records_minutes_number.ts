import { sql, type Kysely } from 'kysely';

/**
 * The number of a hand-over batch's Biên bản giao nhận hồ sơ, tài liệu («Số: 01/BB-UBND», ND 30 Phụ lục I ô 3):
 * numbered per agency and year (Vietnam) from 01, taken from records_minutes_counter when the batch is made, so a
 * biên bản printed again keeps its number. The batches already made are numbered in the order they were handed over.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table records_minutes_counter (
      agency_id uuid not null references agency(id),
      year int not null,
      last_number int not null,
      primary key (agency_id, year)
    );
    alter table records_hand_over_batch add column minutes_year int, add column minutes_number int;
    with numbered as (
      select id, extract(year from handed_over_at at time zone 'Asia/Ho_Chi_Minh')::int as y,
        row_number() over (partition by agency_id, extract(year from handed_over_at at time zone 'Asia/Ho_Chi_Minh') order by handed_over_at, id) as n
      from records_hand_over_batch
    )
    update records_hand_over_batch b set minutes_year = numbered.y, minutes_number = numbered.n from numbered where numbered.id = b.id;
    insert into records_minutes_counter (agency_id, year, last_number)
      select agency_id, minutes_year, max(minutes_number) from records_hand_over_batch group by agency_id, minutes_year;
    alter table records_hand_over_batch alter column minutes_year set not null, alter column minutes_number set not null;
    -- one number per agency and year: no two biên bản share a Số
    alter table records_hand_over_batch add constraint records_hand_over_batch_minutes_key unique (agency_id, minutes_year, minutes_number);
  `.execute(db);
}
