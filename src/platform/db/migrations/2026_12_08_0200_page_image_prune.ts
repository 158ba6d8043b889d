import { sql, type Kysely } from 'kysely';

/**
 * The hourly prune of the page-1 images kept under DATA_DIR/.vanthu-cache/page-image (files.page_image_prune,
 * src/domain/files/page-image-cache.ts): within VANTHU_PAGE_IMAGE_CACHE_MB, least recently used first, and
 * nothing unused for VANTHU_PAGE_IMAGE_CACHE_DAYS. Its first run is now; each run schedules the next.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into job (type, payload, run_at, dedupe_key) values ('files.page_image_prune', '{}', now(), 'files.page_image_prune:first');
  `.execute(db);
}
