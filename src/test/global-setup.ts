/** Vitest global setup: prepared once per run (the migrated template database is added by the platform). */
export default async function setup() {}
