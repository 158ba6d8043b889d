import { sql, type Kysely } from 'kysely';

/**
 * The axis's deliveries and traces keep their references without a foreign-key check per row. Each
 * such check is a lookup locking the referenced row (FOR KEY SHARE): three per accepted package
 * (delivery → package, delivery → system, trace → package), and the lock on the recipient's
 * axis_system row, taken by every concurrent send to it, makes MultiXacts. Measured alone
 * (pgbench, one connection, the accept statement's three inserts): 0.26–0.29 ms → 0.20–0.22 ms of
 * PostgreSQL per package.
 *
 * What the checks guaranteed still holds, by construction:
 * - deliveries and the `accepted` trace are inserted by the statement that inserts their package, from
 *   its RETURNING row (axisRepo.insertAccepted); a later trace is inserted only by selecting its package
 *   (axisRepo.addTrace);
 * - a delivery's system comes from an agency row, which keeps its foreign key to axis_system;
 * - packages and systems are never deleted (a system is deactivated; getEdoc of a package must keep
 *   working), and their keys never change: the triggers below refuse both, as the foreign keys did.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table axis_delivery drop constraint axis_delivery_doc_id_fkey;
    alter table axis_delivery drop constraint axis_delivery_system_id_fkey;
    alter table axis_trace drop constraint axis_trace_doc_id_fkey;

    create function axis_refuse_key_change() returns trigger language plpgsql as $$
    begin
      raise exception '% rows are never deleted and keep their key (deliveries and traces refer to them)', tg_table_name
        using errcode = 'restrict_violation';
    end;
    $$;
    create trigger axis_package_keep before delete or update of doc_id on axis_package
      for each row execute function axis_refuse_key_change();
    create trigger axis_system_keep before delete or update of system_id on axis_system
      for each row execute function axis_refuse_key_change();
    create trigger axis_package_no_truncate before truncate on axis_package
      for each statement execute function axis_refuse_key_change();
    create trigger axis_system_no_truncate before truncate on axis_system
      for each statement execute function axis_refuse_key_change();
  `.execute(db);
}
