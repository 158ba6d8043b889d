import { sql, type Kysely } from 'kysely';

/**
 * Body retention on the axis (axis.retention.ts): a package's body bytes may be dropped once every
 * delivery of it is finished and it is older than the retention period; the package row, its deliveries
 * and traces stay (the audit trail; their triggers stay). `body_dropped_at` says when its body went
 * (getEdoc then answers axis.body_expired). One index: the packages whose body is still kept, oldest first
 * (each retention run walks them in batches). Whether a kept package still names a body is one pass per
 * batch (axisRepo.dropBodies), not an index on sha256 that every sendEdoc would pay for.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table axis_package add column body_dropped_at timestamptz;
    create index axis_package_body_kept_idx on axis_package(created_at, doc_id) where body_dropped_at is null;
  `.execute(db);
}
