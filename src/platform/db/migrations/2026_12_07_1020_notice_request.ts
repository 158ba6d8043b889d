import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';

/**
 * A sender's recall / update request tells the recipient's clerks and leaders with a notice about the
 * document; the notice now names the request, so that answering it takes back that request's notices
 * only (two requests about one document are answered apart). Notices already written are linked to their
 * request (written in the request's transaction: same document, same created_at), and those the old code
 * left behind are taken back: the notices of requests already answered, the notices asking to register,
 * direct or handle a document since recalled or replaced, and a unit head's «Được giao xử lý» about a
 * part they have passed on to people of their unit (incoming-direction.service.ts reassignInUnit).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table incoming_notice add column exchange_request_id uuid references exchange_request(id);
    -- the unread notices about an incoming document, which the action answering them takes back (withdrawNotices in src/domain/notices/notices.service.ts)
    create index incoming_notice_incoming_idx on incoming_notice(incoming_id) where incoming_id is not null and read_at is null;
  `.execute(db);
  await takeBackAnsweredNotices(db);
}

/** Links the request notices to their request and takes back the notices already answered (see above); run again, it changes nothing. */
export async function takeBackAnsweredNotices(db: QueryExecutorProvider): Promise<void> {
  await sql`
    update incoming_notice n set exchange_request_id = r.id from exchange_request r
    where n.kind = 'request' and n.exchange_request_id is null and n.incoming_id = r.incoming_id and n.created_at = r.created_at;

    update incoming_notice n set read_at = r.answered_at from exchange_request r
    where n.exchange_request_id = r.id and n.read_at is null and r.status <> 'pending';

    update incoming_notice n set read_at = now() from incoming_document d
    where n.incoming_id = d.id and n.read_at is null and d.status = 'recalled'
      and n.kind in ('arrived', 'forwarded', 'assigned', 'reassigned', 'reminder', 'overdue');

    update incoming_notice n set read_at = now()
    where n.kind = 'assigned' and n.read_at is null
      and exists (
        select 1 from incoming_assignment p join app_user u on u.id = n.user_id
        where p.incoming_id = n.incoming_id and p.is_active and p.unit_id = u.unit_id and 'unit_head' = any(u.roles)
          and exists (select 1 from incoming_assignment c where c.parent_id = p.id and c.is_active and (c.role <> 'info' or p.role = 'info')))
      and not exists (
        select 1 from incoming_assignment mine
        where mine.incoming_id = n.incoming_id and mine.is_active and mine.user_id = n.user_id and mine.role <> 'info' and mine.status <> 'done');
  `.execute(db);
}
