import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { Actor } from '../../policies/actor.ts';
import { useTestDb } from '../../test/app.ts';
import { fileIndexForm } from './records-export.service.ts';
import { addDocumentToFile, closeRecordsFile, getRecordsFile, openFilesTotals, openRecordsFile } from './records.service.ts';
import { makeIncomingFor, makeOutgoingBy, makeRecordsAgency } from './records.testing.ts';

const t = useTestDb();

/** Records a file row of an outgoing document (its bytes do not matter here, only its kind, version and page count). */
async function fileOf(actor: Actor, outgoingId: string, f: { kind: string; note?: string; version?: number; pageCount: number }) {
  const sha256 = createHash('sha256').update(`${outgoingId}:${f.kind}:${f.note ?? ''}:${f.version ?? 1}`).digest('hex');
  await t.db.insertInto('blob').values({ sha256, size: 1, contentType: 'application/pdf' }).onConflict((oc) => oc.doNothing()).execute();
  await t.db.insertInto('documentFile').values({
    agencyId: actor.agencyId, ownerType: 'outgoing', ownerId: outgoingId, kind: f.kind, note: f.note ?? '', version: f.version ?? 1,
    fileName: `${f.kind}.pdf`, contentType: 'application/pdf', size: 1, sha256, pageCount: f.pageCount, createdBy: actor.id,
  }).execute();
}

/**
 * A staff member's file holding an incoming document of 2 pages dated 02/03/2026 and an outgoing one issued
 * on 10/04/2026 whose issued PDF has 3 pages (its first draft had 1, a later one 3), filed the other way round.
 */
async function fileWithBothKinds(o: { secret?: boolean } = {}) {
  const a = await makeRecordsAgency(t.db);
  const outgoing = await makeOutgoingBy(t.db, a.staff, { issuedAt: '2026-04-10T03:00:00Z' });
  if (o.secret) await t.db.updateTable('outgoingDocument').set({ secrecy: 'mat' }).where('id', '=', outgoing).execute();
  await fileOf(a.staff, outgoing, { kind: 'main', version: 1, pageCount: 1 });
  await fileOf(a.staff, outgoing, { kind: 'main', version: 2, pageCount: 3 });
  await fileOf(a.staff, outgoing, { kind: 'signed', note: 'approved', version: 2, pageCount: 3 });
  await fileOf(a.staff, outgoing, { kind: 'signed', note: 'issued', version: 2, pageCount: 3 });
  const incoming = await makeIncomingFor(t.db, a.staff, { status: 'done', documentDate: '2026-03-02', pageCount: 2 });
  const fileId = await openRecordsFile({ db: t.db, actor: a.staff, body: { notation: '21.TH', title: 'Hồ sơ có văn bản đến và đi', retention: '10', description: '' } });
  for (const [ownerType, ownerId] of [['outgoing', outgoing], ['incoming', incoming]] as const) {
    await addDocumentToFile({ db: t.db, actor: a.staff, fileId, ref: { ownerType, ownerId } });
  }
  return { a, fileId, incoming, outgoing };
}

/** The mục lục's Tờ số/Trang số column, line by line. */
const sheetPages = async (actor: Actor, id: string) => {
  const { file, documents } = await getRecordsFile({ db: t.db, actor, id });
  return fileIndexForm(file, documents).rows.map((r) => r.cells[5]);
};

describe('pages of a work file: incoming and outgoing documents alike', () => {
  test("an outgoing document counts its issued PDF's pages: the file closes with 2 + 3 pages, and its mục lục runs tờ 1–2 then 3–5 by date", async () => {
    const { a, fileId, incoming, outgoing } = await fileWithBothKinds();
    const open = await getRecordsFile({ db: t.db, actor: a.staff, id: fileId });
    expect(open.documents.map((d) => [d.ownerId, d.pageCount])).toEqual([[incoming, 2], [outgoing, 3]]);
    expect((await openFilesTotals(t.db, [fileId])).get(fileId)).toEqual({ docTotal: 2, pageTotal: 5 });

    await closeRecordsFile({ db: t.db, actor: a.staff, id: fileId });
    expect((await getRecordsFile({ db: t.db, actor: a.staff, id: fileId })).file).toMatchObject({ docTotal: 2, pageTotal: 5 });
    expect(await sheetPages(a.staff, fileId)).toEqual(['1–2', '3–5']);
  });

  test('a Mật outgoing document counts for a reader who may not open it, as a Mật incoming one does', async () => {
    const { a, fileId } = await fileWithBothKinds({ secret: true });
    await closeRecordsFile({ db: t.db, actor: a.staff, id: fileId });
    const seen = await getRecordsFile({ db: t.db, actor: a.leader, id: fileId });
    expect(seen.file).toMatchObject({ docTotal: 2, pageTotal: 5 });
    expect(seen.documents[1]).toMatchObject({ ownerType: 'outgoing', isSecret: true, canOpen: false, subject: null, pageCount: 3 });
    expect(await sheetPages(a.leader, fileId)).toEqual(['1–2', '3–5']);
  });
});
