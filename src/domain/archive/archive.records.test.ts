import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { addDocumentToFile, closeRecordsFile, handOverRecordsFile, openRecordsFile } from '../records/records.service.ts';
import { FILEABLE_INCOMING, FILEABLE_OUTGOING } from '../records/records.status.ts';
import { makeIncomingFor, makeOutgoingBy, makeRecordsAgency } from '../records/records.testing.ts';
import { archiveRepo } from './archive.repository.ts';

const t = useTestApp();

/** Gives a document the PDF the archive keeps: an incoming scan (main), or an outgoing issued PDF (signed, note issued). */
async function keptPdf(agencyId: string, ownerType: 'incoming' | 'outgoing', ownerId: string) {
  const blob = await t.deps.blobs.put(new TextEncoder().encode(`%PDF-1.7 ${ownerId}`));
  await t.db.insertInto('blob').values({ ...blob, contentType: 'application/pdf' }).onConflict((oc) => oc.doNothing()).execute();
  const kind = ownerType === 'incoming' ? { kind: 'main', note: '' } : { kind: 'signed', note: 'issued' };
  return (await t.db.insertInto('documentFile').values({ agencyId, ownerType, ownerId, ...kind, version: 1, fileName: 'vb.pdf', contentType: 'application/pdf', size: blob.size, sha256: blob.sha256 })
    .returning('id').executeTakeFirstOrThrow()).id;
}

const candidateIds = async () => new Set((await archiveRepo.listNewCandidates(t.db, 10_000)).map((c) => c.id));

describe('the archive keeps the documents of work files', () => {
  test('every PDF of a file handed over to the agency archive is tracked by the renewal pass', async () => {
    const a = await makeRecordsAgency(t.db);
    const fileId = await openRecordsFile({ db: t.db, actor: a.staff, body: { notation: '01.LT', title: 'Hồ sơ nộp lưu', retention: 'permanent', description: '' } });
    const docs = [
      { ownerType: 'incoming' as const, ownerId: await makeIncomingFor(t.db, a.staff, { status: 'done' }) },
      { ownerType: 'incoming' as const, ownerId: await makeIncomingFor(t.db, a.staff, { status: 'recalled' }) },
      { ownerType: 'outgoing' as const, ownerId: await makeOutgoingBy(t.db, a.staff) },
    ];
    const pdfs = [];
    for (const ref of docs) {
      pdfs.push(await keptPdf(a.agencyId, ref.ownerType, ref.ownerId));
      await addDocumentToFile({ db: t.db, actor: a.staff, fileId, ref });
    }
    await closeRecordsFile({ db: t.db, actor: a.staff, id: fileId });
    await handOverRecordsFile({ db: t.db, actor: a.clerk, id: fileId });
    const tracked = await candidateIds();
    expect(pdfs.filter((id) => !tracked.has(id))).toEqual([]);
  });

  test('whatever status a document may be filed in, the archive keeps its PDF (the two lists cannot drift apart)', async () => {
    const a = await makeRecordsAgency(t.db);
    const pdfs: { status: string; id: string }[] = [];
    for (const status of FILEABLE_INCOMING) pdfs.push({ status, id: await keptPdf(a.agencyId, 'incoming', await makeIncomingFor(t.db, a.staff, { status })) });
    for (const status of FILEABLE_OUTGOING) {
      const id = await makeOutgoingBy(t.db, a.staff);
      await t.db.updateTable('outgoingDocument').set({ status }).where('id', '=', id).execute();
      pdfs.push({ status: `outgoing ${status}`, id: await keptPdf(a.agencyId, 'outgoing', id) });
    }
    const tracked = await candidateIds();
    expect(pdfs.filter((p) => !tracked.has(p.id)).map((p) => p.status)).toEqual([]);
  });
});
