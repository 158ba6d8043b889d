import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { makeUser } from '../src/test/factories.ts';
import { makeIncomingFor } from '../src/domain/records/records.testing.ts';
import { addDocumentToFile, openRecordsFile } from '../src/domain/records/records.service.ts';
import { PHONE, useBrowserAndServer } from './harness.ts';
import { DEMO_PASSWORD, signIn } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))("a document's «Thuộc hồ sơ» card", () => {
  const { server, browser } = useBrowserAndServer();

  test('once the document is in the only open file of a commune officer, the card says so — not «Bạn chưa có hồ sơ nào đang mở» under that very file', async () => {
    const db = server().db;
    if (!db) throw new Error('the test server exposes its database');
    // a new officer of the commune: no work file yet
    const commune = await db.selectFrom('appUser').select('agencyId').where('username', '=', 'xa.chuyenvien').executeTakeFirstOrThrow();
    const { actor } = await makeUser(db, { agencyId: commune.agencyId, roles: ['staff'], username: 'xa.congchuc', password: DEMO_PASSWORD });
    const incomingId = await makeIncomingFor(db, actor, { status: 'done', subject: 'Về việc lập hồ sơ phòng chống thiên tai năm 2026' });
    const fileId = await openRecordsFile({ db, actor, body: { notation: '02.KT', title: 'Hồ sơ phòng chống thiên tai năm 2026', retention: '10', description: '' } });
    await addDocumentToFile({ db, actor, fileId, ref: { ownerType: 'incoming', ownerId: incomingId } });

    const page = await signIn(browser(), server(), 'xa.congchuc', PHONE);
    await page.goto(`${server().url}/incoming/${incomingId}`);
    const card = page.getByTestId('file-document-card');
    await expect.poll(() => card.innerText()).toContain('02.KT — Hồ sơ phòng chống thiên tai năm 2026');
    await expect.poll(() => card.getByTestId('no-file-to-choose').innerText()).toMatch(/^Văn bản đã ở trong mọi hồ sơ đang mở của bạn\./);
    await page.context().close();
  });
});
