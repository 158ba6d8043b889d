import { describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { makeUser } from '../../test/factories.ts';
import type { Actor } from '../../policies/actor.ts';
import { addDocumentToFile, closeRecordsFile, openRecordsFile } from './records.service.ts';
import { HAND_OVER_BATCH_NOTICE_KIND, handOverRecordsFiles, receiveHandOverBatch } from './records-batch.service.ts';
import { HAND_OVER_NOTICE_KIND } from './records-hand-over.repository.ts';
import { notify } from '../notices/notices.service.ts';
import { makeIncomingFor, makeRecordsAgency } from './records.testing.ts';

const t = useTestDb();

async function closedFile(keeper: Actor, notation: string) {
  const c = { db: t.db, actor: keeper };
  const id = await openRecordsFile({ ...c, body: { notation, title: `Hồ sơ ${notation}`, retention: '10', description: '' } });
  await addDocumentToFile({ ...c, fileId: id, ref: { ownerType: 'incoming', ownerId: await makeIncomingFor(t.db, keeper, { status: 'done' }) } });
  await closeRecordsFile({ ...c, id });
  return id;
}
/** The unread notices of a kind about a work file: who has one, and what it says. */
const unread = async (recordsFileId: string, kind: string) =>
  (await t.db.selectFrom('incomingNotice').select(['userId', 'message']).where('recordsFileId', '=', recordsFileId).where('kind', '=', kind).where('readAt', 'is', null)
    .orderBy('userId').execute());
const unitName = async (id: string) => (await t.db.selectFrom('unit').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;

describe('the archivists\' notice of a batch waiting for them (đợt nộp lưu chờ tiếp nhận)', () => {
  test('a batch handed over tells every archivist of the agency, about its first file; receiving it answers the notice for all of them, not another batch\'s nor the keeper\'s other notices', async () => {
    const a = await makeRecordsAgency(t.db);
    const second = (await makeUser(t.db, { agencyId: a.agencyId, roles: ['archivist'] })).actor;
    const [tenth, first] = [await closedFile(a.staff, '10.TH'), await closedFile(a.staff, '02.TH')];
    const later = await closedFile(a.staff, '05.TH');
    const batchId = await handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: [tenth, first] });
    await handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: [later] });
    await t.db.transaction().execute((tx) => notify(tx, [{ userId: a.staff.id, recordsFileId: first, kind: 'keep_decided', message: 'Đồng ý giữ lại' }]));

    const message = `Đợt nộp lưu chờ tiếp nhận: 2 hồ sơ của ${await unitName(a.unitId)}`;
    expect(await unread(first, HAND_OVER_BATCH_NOTICE_KIND)).toEqual([a.archivist.id, second.id].sort().map((userId) => ({ userId, message })));
    expect(await unread(tenth, HAND_OVER_BATCH_NOTICE_KIND)).toEqual([]);

    await receiveHandOverBatch({ db: t.db, actor: second, id: batchId });

    expect(await unread(first, HAND_OVER_BATCH_NOTICE_KIND)).toEqual([]);
    expect((await unread(later, HAND_OVER_BATCH_NOTICE_KIND)).map((n) => n.userId)).toEqual([a.archivist.id, second.id].sort());
    expect((await unread(first, 'keep_decided')).map((n) => n.userId)).toEqual([a.staff.id]);
    expect(await unread(first, HAND_OVER_NOTICE_KIND)).toEqual([]);
  });

  test('an agency without an archivist gets the batch handed over, with no notice', async () => {
    const a = await makeRecordsAgency(t.db);
    await t.db.updateTable('appUser').set({ isActive: false }).where('id', '=', a.archivist.id).execute();
    const file = await closedFile(a.staff, '01.TH');
    await handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: [file] });
    expect(await unread(file, HAND_OVER_BATCH_NOTICE_KIND)).toEqual([]);
  });
});
