import { describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { vietnamDay } from '../../platform/dates.ts';
import type { Actor } from '../../policies/actor.ts';
import { addDocumentToFile, closeRecordsFile, getRecordsFile, openRecordsFile } from './records.service.ts';
import { handOverRecordsFiles } from './records-batch.service.ts';
import { decideKeepFile, requestKeepExtension, requestKeepFile } from './records-hand-over.service.ts';
import { makeIncomingFor, makeRecordsAgency } from './records.testing.ts';

const t = useTestDb();

const DAY = 86_400_000;
const daysAgo = (days: number) => vietnamDay(new Date(Date.now() - days * DAY));
const codeOf = (p: Promise<unknown>) => p.then(() => 'handed over', (e: { code?: string }) => e.code);

/** A file of `keeper` with one finished document, closed 400 days ago: due for hand-over, so it may be kept back. */
async function dueFile(keeper: Actor, notation: string) {
  const c = { db: t.db, actor: keeper };
  const id = await openRecordsFile({ ...c, body: { notation, title: `Hồ sơ ${notation}`, retention: '10', description: '' } });
  await addDocumentToFile({ ...c, fileId: id, ref: { ownerType: 'incoming', ownerId: await makeIncomingFor(t.db, keeper, { status: 'done' }) } });
  await closeRecordsFile({ ...c, id });
  await t.db.updateTable('recordsFile').set({ closedAt: new Date(Date.now() - 400 * DAY) }).where('id', '=', id).execute();
  return id;
}

describe('handing over a file whose keeping back waits for a leader (ND 30 Art. 31.3.d)', () => {
  test('while a keep-back asked by the keeper waits, neither the file alone nor a batch holding it is handed over; once the leader refuses, it is', async () => {
    const a = await makeRecordsAgency(t.db);
    const [asked, other] = [await dueFile(a.staff, '01.GL'), await dueFile(a.staff, '02.GL')];
    await requestKeepFile({ db: t.db, actor: a.staff, id: asked, body: { until: daysAgo(-100), reason: 'Còn theo dõi việc thanh tra' } });

    expect(await codeOf(handOverRecordsFiles({ db: t.db, actor: a.clerk, fileIds: [asked] }))).toBe('records.hand_over_keep_pending');
    expect(await codeOf(handOverRecordsFiles({ db: t.db, actor: a.clerk, fileIds: [other, asked] }))).toBe('records.hand_over_keep_pending');
    // the clerk is told which file of the batch waits
    await expect(handOverRecordsFiles({ db: t.db, actor: a.clerk, fileIds: [other, asked] })).rejects.toThrow(/^Hồ sơ 01\.GL: Hồ sơ đang có đề nghị giữ lại/);
    // one refusal and none is handed over
    expect((await getRecordsFile({ db: t.db, actor: a.clerk, id: other })).file.status).toBe('closed');

    await decideKeepFile({ db: t.db, actor: a.leader, id: asked, body: { approve: false, note: 'Nộp lưu đúng hạn' } });
    expect(await codeOf(handOverRecordsFiles({ db: t.db, actor: a.clerk, fileIds: [other, asked] }))).toBe('handed over');
  });

  test('a keep agreed does not stop an earlier hand-over, but an extension waiting for the leader does', async () => {
    const a = await makeRecordsAgency(t.db);
    const [kept, extended] = [await dueFile(a.staff, '03.GL'), await dueFile(a.staff, '04.GL')];
    for (const id of [kept, extended]) {
      await requestKeepFile({ db: t.db, actor: a.staff, id, body: { until: daysAgo(-30), reason: 'Còn theo dõi việc thanh tra' } });
      await decideKeepFile({ db: t.db, actor: a.leader, id, body: { approve: true, note: '' } });
    }
    await requestKeepExtension({ db: t.db, actor: a.staff, id: extended, body: { until: daysAgo(-200), reason: 'Thanh tra bổ sung chưa kết luận' } });

    expect(await codeOf(handOverRecordsFiles({ db: t.db, actor: a.clerk, fileIds: [extended] }))).toBe('records.hand_over_keep_pending');
    expect(await codeOf(handOverRecordsFiles({ db: t.db, actor: a.clerk, fileIds: [kept] }))).toBe('handed over');
  });
});
