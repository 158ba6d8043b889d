import { describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { useTestDb } from '../../test/app.ts';
import { audit, SYSTEM_ACTOR, verifyAuditChain, withBatchedAudit } from './audit.ts';

const t = useTestDb();

const write = (entityId: string, data: Record<string, unknown> = {}) =>
  t.db.transaction().execute((tx) => audit(tx, SYSTEM_ACTOR, { type: 'UNIT_CREATED', entityType: 'unit', entityId, data }));

describe('the audit chain', () => {
  test('each row carries the hash of the previous one and the chain verifies', async () => {
    await write('a', { name: 'Phòng A', nested: { z: 1, a: [1, 2] } });
    await write('b');
    await Promise.all(['c', 'd', 'e', 'f'].map((id) => write(id)));
    const rows = await t.db.selectFrom('auditLog').select(['id', 'prevHash', 'hash']).orderBy('id').execute();
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prevHash).toBe(rows[i - 1]?.hash);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, rows: rows.length });
  });

  test('rows collected in a batch are appended at the end, in order, without those of a savepoint rolled back, and the chain verifies', async () => {
    const before = await t.db.selectFrom('auditLog').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    await t.db.transaction().execute((tx) => withBatchedAudit(tx, async (rows) => {
      await audit(tx, SYSTEM_ACTOR, { type: 'UNIT_CREATED', entityType: 'unit', entityId: 'lô-1' });
      expect(await tx.selectFrom('auditLog').select('id').where('entityId', '=', 'lô-1').execute()).toHaveLength(0);
      await sql`savepoint s`.execute(tx);
      const mark = rows.mark();
      await audit(tx, SYSTEM_ACTOR, { type: 'UNIT_CREATED', entityType: 'unit', entityId: 'lô-bỏ' });
      await sql`rollback to savepoint s`.execute(tx);
      rows.rollbackTo(mark);
      await audit(tx, SYSTEM_ACTOR, { type: 'UNIT_CREATED', entityType: 'unit', entityId: 'lô-2' });
    }));
    await write('sau-lô');
    const added = await t.db.selectFrom('auditLog').select('entityId').where('id', '>', before.id ?? 0).orderBy('id').execute();
    expect(added.map((r) => r.entityId)).toEqual(['lô-1', 'lô-2', 'sau-lô']);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  test('the table refuses UPDATE and DELETE', async () => {
    await expect(t.db.updateTable('auditLog').set({ actorName: 'kẻ gian' }).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('auditLog').execute()).rejects.toThrow(/append-only/);
  });

  test('a row edited behind the trigger is named as the first broken row', async () => {
    await write('g');
    const target = await t.db.selectFrom('auditLog').select('id').orderBy('id').offset(2).limit(1).executeTakeFirstOrThrow();
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(t.db);
    await sql`update audit_log set actor_name = 'sửa lén' where id = ${target.id}`.execute(t.db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(t.db);
    const report = await verifyAuditChain(t.db);
    expect(report.ok).toBe(false);
    expect(report.firstBroken?.id).toBe(target.id);
  });
});
