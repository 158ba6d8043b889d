import { sql, type Kysely } from 'kysely';

/**
 * Recall and update requests (exchange_request) become the one mechanism for senders on this install
 * and through the axis: the answer keeps the clerk's note, and the statuses an incoming document sends
 * back include the answers 15 (agreed) and 16 (refused).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table exchange_request add column answer_note text not null default '';
    alter table incoming_status_out drop constraint incoming_status_out_code_check;
    alter table incoming_status_out add constraint incoming_status_out_code_check
      check (code in ('01', '02', '03', '04', '05', '06', '15', '16'));
  `.execute(db);
}
