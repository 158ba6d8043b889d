import { sql, type ExpressionBuilder, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { DB, RecordsFile, RecordsPlanEntry } from '../../platform/db/types.gen.ts';
import type { Actor } from '../../policies/actor.ts';
import { incomingVisibleTo } from '../../policies/incoming.ts';
import { outgoingVisibleTo } from '../../policies/outgoing.ts';
import { recordsFileVisibleTo } from '../../policies/records.ts';
import type { TDocumentRef, TListFilesQuery } from './records.schemas.ts';
import { FILEABLE_INCOMING, FILEABLE_OUTGOING } from './records.status.ts';
import { codeWords, indexedText, normalizeSearch } from '../documents/search-text.ts';
import { queryOf, relevanceOf } from '../documents/search-text.repository.ts';
import { toneVariants } from '../search/tone-variants.ts';
import { HAND_OVER_DUE, HAND_OVER_STATE, isHandOverDue } from './records-hand-over.repository.ts';

type DocEb = ExpressionBuilder<DB, 'recordsFileDocument' | 'incomingDocument' | 'outgoingDocument'>;

// The date a document bears (ngày tháng năm văn bản): an incoming one's own date, else the day it arrived;
// an outgoing one's day of issue — in Vietnam. Raw SQL: time-zone conversion to a date.
const DOC_DATE = sql<string | null>`coalesce(incoming_document.document_date, (incoming_document.arrived_at at time zone 'Asia/Ho_Chi_Minh')::date, (outgoing_document.issued_at at time zone 'Asia/Ho_Chi_Minh')::date)::text`;

/**
 * The documents of files, joined to their incoming or outgoing row and, for an outgoing one, to the page
 * count of its issued main PDF (`outPdf`): the newest signed 'issued' file, which issuing stores with the
 * approved main PDF's count, else (a document issued before those were kept) its newest main PDF. Only
 * issued documents are filed (FILEABLE_OUTGOING), so no draft's count is ever taken.
 */
const documentsJoined = (db: Db) => db.selectFrom('recordsFileDocument')
  .leftJoin('incomingDocument', (j) => j.onRef('incomingDocument.id', '=', 'recordsFileDocument.ownerId').on('recordsFileDocument.ownerType', '=', 'incoming'))
  .leftJoin('outgoingDocument', (j) => j.onRef('outgoingDocument.id', '=', 'recordsFileDocument.ownerId').on('recordsFileDocument.ownerType', '=', 'outgoing'))
  .leftJoinLateral((eb) => eb.selectFrom('documentFile').select('documentFile.pageCount')
    .where('documentFile.ownerType', '=', 'outgoing').whereRef('documentFile.ownerId', '=', 'outgoingDocument.id').where('documentFile.pageCount', 'is not', null)
    .where((f) => f.or([f.and([f('documentFile.kind', '=', 'signed'), f('documentFile.note', '=', 'issued')]), f('documentFile.kind', '=', 'main')]))
    // raw SQL: the issued file before any main one, then the newest
    .orderBy(sql`document_file.kind = 'signed'`, 'desc').orderBy('documentFile.version', 'desc').orderBy('documentFile.createdAt', 'desc').limit(1).as('outPdf'),
  (j) => j.onTrue());

/** A filed document's page count (số tờ/số trang): an incoming one's as registered, an outgoing one's issued main PDF's. */
const PAGE_COUNT = sql<number | null>`coalesce(incoming_document.page_count, ${sql.ref('outPdf.pageCount')})`;

/**
 * Whether the actor may open the document itself (Mật documents: their participants only), by the
 * documents' own list rules. The inner unaliased table shadows the joined one on purpose: the rules name it.
 */
const visibleDoc = (actor: Actor) => (eb: DocEb) => eb.or([
  eb.exists(eb.selectFrom('incomingDocument').select('incomingDocument.id').where('recordsFileDocument.ownerType', '=', 'incoming')
    .whereRef('incomingDocument.id', '=', 'recordsFileDocument.ownerId').where(incomingVisibleTo(actor))),
  eb.exists(eb.selectFrom('outgoingDocument').select('outgoingDocument.id').where('recordsFileDocument.ownerType', '=', 'outgoing')
    .whereRef('outgoingDocument.id', '=', 'recordsFileDocument.ownerId').where(outgoingVisibleTo(actor))),
]);

const FILE_COLUMNS = ['recordsFile.id', 'recordsFile.agencyId', 'recordsFile.year', 'recordsFile.planEntryId', 'recordsFile.notation', 'recordsFile.title',
  'recordsFile.retention', 'recordsFile.unitId', 'recordsFile.ownerId', 'recordsFile.status', 'recordsFile.description', 'recordsFile.startDate',
  'recordsFile.endDate', 'recordsFile.docTotal', 'recordsFile.pageTotal', 'recordsFile.createdAt', 'recordsFile.closedAt', 'recordsFile.handedOverAt',
  'recordsFile.handOverBatchId'] as const;

const filesWithNames = (db: Db) => db.selectFrom('recordsFile')
  .innerJoin('agency', 'agency.id', 'recordsFile.agencyId')
  .leftJoin('appUser as owner', 'owner.id', 'recordsFile.ownerId')
  .leftJoin('unit', 'unit.id', 'recordsFile.unitId')
  .leftJoin('appUser as handedBy', 'handedBy.id', 'recordsFile.handedOverBy')
  .select([...FILE_COLUMNS, 'agency.code as agencyCode', 'agency.name as agencyName', 'owner.fullName as ownerName', 'unit.name as unitName', 'handedBy.fullName as handedOverByName'])
  .select([HAND_OVER_DUE.as('handOverDueDate'), HAND_OVER_STATE.as('handOverState')])
  .select((eb) => eb.selectFrom('recordsFileDocument').select((e) => e.fn.countAll<number>().as('n')).whereRef('recordsFileDocument.fileId', '=', 'recordsFile.id').as('documentCount'));

/**
 * The text a work file is found by: its số/ký hiệu whole and in parts (codeWords; a file's is written
 * with a dot, "03.TH", which the index reads as one word, so its parts "03" and "TH" too) and its title,
 * also without diacritics (the documents' rule, search-text.ts).
 */
export function recordsFileSearchTextOf(f: { notation: string; title: string }): string {
  return indexedText([...codeWords([], f.notation), f.notation.replaceAll('.', ' '), f.title]);
}

/** The words of a search, as the stored search texts are kept (normalizeSearch: NFC, lower case); at most 8. A lone dash is no word. */
export const searchWords = (q: string | undefined): string[] => normalizeSearch(q ?? '').split(' ').filter((w) => /[\p{L}\p{N}]/u.test(w)).slice(0, 8);
/** A LIKE pattern holding the word anywhere, its wildcards taken literally. */
const like = (w: string) => `%${w.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
// raw SQL: a whole-word match on a search column, the word normalised as the search texts are (search-text.ts)
const matchesWord = (column: 'records_file' | 'incoming_document' | 'outgoing_document', word: string) =>
  sql<boolean>`${sql.ref(`${column}.search_vector`)} @@ ${queryOf(word)}`;
/** Whether the file holds a document the actor may see with `word` among its words (a Mật one they may not open never matches). */
const holdsDocumentWith = (actor: Actor, word: string) => (eb: ExpressionBuilder<DB, 'recordsFile'>) => eb.exists(eb.selectFrom('recordsFileDocument')
  .select('recordsFileDocument.id').whereRef('recordsFileDocument.fileId', '=', 'recordsFile.id')
  .where((d) => d.or([
    d.exists(d.selectFrom('incomingDocument').select('incomingDocument.id').where('recordsFileDocument.ownerType', '=', 'incoming')
      .whereRef('incomingDocument.id', '=', 'recordsFileDocument.ownerId').where(incomingVisibleTo(actor)).where(matchesWord('incoming_document', word))),
    d.exists(d.selectFrom('outgoingDocument').select('outgoingDocument.id').where('recordsFileDocument.ownerType', '=', 'outgoing')
      .whereRef('outgoingDocument.id', '=', 'recordsFileDocument.ownerId').where(outgoingVisibleTo(actor)).where(matchesWord('outgoing_document', word))),
  ])));

/**
 * The words of the documents in each file that the actor may see, as one vector (`file_body.words`, joined
 * laterally so it is made once per file): a file's body for «Liên quan nhất». A Mật document they may not
 * open adds nothing, as it matches nothing. Raw SQL: tsvector_agg (migration 2026_12_07_0700) has no builder.
 */
const fileBody = (actor: Actor) => (eb: ExpressionBuilder<DB, 'recordsFile'>) => eb.selectFrom('recordsFileDocument')
  .leftJoin('incomingDocument', (j) => j.onRef('incomingDocument.id', '=', 'recordsFileDocument.ownerId').on('recordsFileDocument.ownerType', '=', 'incoming'))
  .leftJoin('outgoingDocument', (j) => j.onRef('outgoingDocument.id', '=', 'recordsFileDocument.ownerId').on('recordsFileDocument.ownerType', '=', 'outgoing'))
  .select(sql<string>`tsvector_agg(coalesce(incoming_document.search_vector, outgoing_document.search_vector))`.as('words'))
  .whereRef('recordsFileDocument.fileId', '=', 'recordsFile.id').where(visibleDoc(actor)).as('fileBody');
/** A file's vector for ranking: its số/ký hiệu and title (weighed A: the header), then its documents' words as its body (D). */
const FILE_VECTOR = sql`(records_file.search_vector || setweight(file_body.words, 'D'))`;
// a file's day for «Mới nhất» / «Cũ nhất» and the ties of «Liên quan nhất»: when it was opened
const FILE_DAY = 'recordsFile.createdAt' as const;

export type RecordsFileRow = Awaited<ReturnType<typeof recordsRepo.findFile>> & {};
export type FiledDocumentRow = Awaited<ReturnType<typeof recordsRepo.listDocuments>>[number];

/** ALL SQL of work files (hồ sơ) and the file plan (danh mục hồ sơ). */
export const recordsRepo = {
  listPlan: (db: Db, agencyId: string, year: number) => db.selectFrom('recordsPlanEntry')
    .leftJoin('appUser as owner', 'owner.id', 'recordsPlanEntry.ownerId').leftJoin('unit', 'unit.id', 'recordsPlanEntry.unitId')
    .leftJoin('recordsFile', (j) => j.onRef('recordsFile.planEntryId', '=', 'recordsPlanEntry.id').onRef('recordsFile.year', '=', 'recordsPlanEntry.year'))
    .selectAll('recordsPlanEntry').select(['owner.fullName as ownerName', 'unit.name as unitName', 'recordsFile.id as fileId', 'recordsFile.status as fileStatus'])
    .where('recordsPlanEntry.agencyId', '=', agencyId).where('recordsPlanEntry.year', '=', year)
    .orderBy('recordsPlanEntry.heading').orderBy('recordsPlanEntry.notation').execute(),
  findPlanEntryForUpdate: (db: Db, id: string) => db.selectFrom('recordsPlanEntry').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  findPlanEntryByNotation: (db: Db, agencyId: string, year: number, notation: string) =>
    db.selectFrom('recordsPlanEntry').select('id').where('agencyId', '=', agencyId).where('year', '=', year).where('notation', '=', notation).executeTakeFirst(),
  insertPlanEntry: (db: Db, v: Insertable<RecordsPlanEntry>) => db.insertInto('recordsPlanEntry').values(v).returningAll().executeTakeFirstOrThrow(),
  updatePlanEntry: (db: Db, id: string, v: Updateable<RecordsPlanEntry>) =>
    db.updateTable('recordsPlanEntry').set({ ...v, updatedAt: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
  deletePlanEntry: (db: Db, id: string) => db.deleteFrom('recordsPlanEntry').where('id', '=', id).execute(),
  countFilesOfEntry: async (db: Db, planEntryId: string) =>
    Number((await db.selectFrom('recordsFile').select((eb) => eb.fn.countAll().as('n')).where('planEntryId', '=', planEntryId).executeTakeFirst())?.n ?? 0),
  /** Whether a unit belongs to the agency (the plan's đơn vị lập hồ sơ; the người lập is checked through the users directory). */
  isAgencyUnit: async (db: Db, agencyId: string, unitId: string) =>
    !!(await db.selectFrom('unit').select('id').where('id', '=', unitId).where('agencyId', '=', agencyId).executeTakeFirst()),

  /** Lookups by name for the demo seed (records.demo.ts). */
  findAgencyByCode: (db: Db, code: string) => db.selectFrom('agency').select('id').where('code', '=', code).executeTakeFirst(),
  findUnitByName: (db: Db, agencyId: string, name: string) => db.selectFrom('unit').select('id').where('agencyId', '=', agencyId).where('name', '=', name).executeTakeFirst(),

  findFileByNotation: (db: Db, agencyId: string, year: number, notation: string) =>
    db.selectFrom('recordsFile').select('id').where('agencyId', '=', agencyId).where('year', '=', year).where('notation', '=', notation).executeTakeFirst(),
  insertFile: (db: Db, v: Insertable<RecordsFile>) => db.insertInto('recordsFile').values({ ...v, searchText: recordsFileSearchTextOf(v) }).returning('id').executeTakeFirstOrThrow(),
  findFile: (db: Db, id: string) => filesWithNames(db).where('recordsFile.id', '=', id).executeTakeFirst(),
  findFileForUpdate: (db: Db, id: string) => db.selectFrom('recordsFile').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  /** Moves a file on only if it is still in `from` (a concurrent change loses); true when it did. A new số/ký hiệu or title is searched by at once. */
  updateFile: async (db: Db, id: string, from: string, v: Updateable<RecordsFile>) => {
    const updated = await db.updateTable('recordsFile').set({ ...v, updatedAt: new Date() }).where('id', '=', id).where('status', '=', from)
      .returning(['notation', 'title']).executeTakeFirst();
    if (updated && (v.notation !== undefined || v.title !== undefined)) {
      await db.updateTable('recordsFile').set({ searchText: recordsFileSearchTextOf(updated) }).where('id', '=', id).execute();
    }
    return !!updated;
  },
  touchFile: (db: Db, id: string) => db.updateTable('recordsFile').set({ updatedAt: new Date() }).where('id', '=', id).execute(),

  /**
   * The files the actor may see, by scope (mine / my unit's / the agency's), year, status, due for hand-over, and words (every one in the
   * file's số/ký hiệu or title, or in a document of it); by default the latest year first, then by số/ký hiệu; «Liên quan nhất» with words.
   */
  listFiles: (db: Db, actor: Actor, q: TListFilesQuery) => {
    const words = searchWords(q.q);
    let query = filesWithNames(db).where(recordsFileVisibleTo(actor));
    if (q.scope === 'mine') query = query.where('recordsFile.ownerId', '=', actor.id);
    if (q.scope === 'unit') query = actor.unitId ? query.where('recordsFile.unitId', '=', actor.unitId) : query.where(sql<boolean>`false`);
    if (q.year) query = query.where('recordsFile.year', '=', q.year);
    if (q.status) query = query.where('recordsFile.status', '=', q.status);
    // every word typed, whole, in the file's own search text or in a document of it the actor may see
    for (const word of words) query = query.where((eb) => eb.or([matchesWord('records_file', word), holdsDocumentWith(actor, word)(eb)]));
    // due for hand-over: the most pressing first
    if (q.handOver === 'due') query = query.where(isHandOverDue()).orderBy(HAND_OVER_DUE);
    // relevance without words is the usual order below; its ties go newest first, as «Mới nhất»
    const isRanked = q.order === 'relevance' && words.length > 0;
    // $if: the joined body is read only through FILE_VECTOR, so the query's type need not name it
    query = query.$if(isRanked, (qb) => qb.leftJoinLateral(fileBody(actor), (j) => j.onTrue()));
    if (isRanked) for (const term of [...relevanceOf(FILE_VECTOR, words.join(' ')), FILE_DAY]) query = query.orderBy(term, 'desc');
    if (q.order === 'newest' || q.order === 'oldest') query = query.orderBy(FILE_DAY, q.order === 'newest' ? 'desc' : 'asc');
    return query.orderBy('recordsFile.year', 'desc').orderBy('recordsFile.notation').limit(500).execute();
  },

  /** A file's documents in the order they were made (ND 30 Phụ lục VI III.4.g), with the metadata of the mục lục văn bản. */
  listDocuments: (db: Db, actor: Actor, fileId: string) => documentsJoined(db)
    .leftJoin('agency as outAgency', 'outAgency.id', 'outgoingDocument.agencyId')
    .select(['outAgency.name as outAgencyName', 'recordsFileDocument.id', 'recordsFileDocument.ownerType', 'recordsFileDocument.ownerId', 'recordsFileDocument.addedAt',
      'incomingDocument.number as inNumber', 'incomingDocument.notation as inNotation', 'incomingDocument.subject as inSubject', 'incomingDocument.typeCode as inType',
      'incomingDocument.issuerName', 'incomingDocument.status as inStatus', 'incomingDocument.isSecret as inSecret',
      'incomingDocument.arrivalNumber', 'outgoingDocument.number as outNumber', 'outgoingDocument.notation as outNotation', 'outgoingDocument.subject as outSubject',
      'outgoingDocument.typeCode as outType', 'outgoingDocument.status as outStatus', 'outgoingDocument.isSecret as outSecret'])
    .select((eb) => [DOC_DATE.as('documentDate'), PAGE_COUNT.as('pageCount'), visibleDoc(actor)(eb).as('isVisible')])
    .where('recordsFileDocument.fileId', '=', fileId)
    .orderBy(DOC_DATE).orderBy('recordsFileDocument.addedAt').execute(),

  /** One document as filing needs it (agency, status), only when the actor may see it (else undefined: no existence leak). */
  findVisibleDocument: (db: Db, actor: Actor, ref: TDocumentRef) => ref.ownerType === 'incoming'
    ? db.selectFrom('incomingDocument').select(['incomingDocument.agencyId', 'incomingDocument.status'])
      .where('incomingDocument.id', '=', ref.ownerId).where(incomingVisibleTo(actor)).executeTakeFirst()
    : db.selectFrom('outgoingDocument').select(['outgoingDocument.agencyId', 'outgoingDocument.status'])
      .where('outgoingDocument.id', '=', ref.ownerId).where(outgoingVisibleTo(actor)).executeTakeFirst(),
  findFiled: (db: Db, fileId: string, ref: TDocumentRef) => db.selectFrom('recordsFileDocument').select('id')
    .where('fileId', '=', fileId).where('ownerType', '=', ref.ownerType).where('ownerId', '=', ref.ownerId).executeTakeFirst(),
  insertDocument: (db: Db, fileId: string, ref: TDocumentRef, addedBy: string | null) =>
    db.insertInto('recordsFileDocument').values({ fileId, ...ref, addedBy }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst(),
  deleteDocument: (db: Db, fileId: string, ref: TDocumentRef) => db.deleteFrom('recordsFileDocument')
    .where('fileId', '=', fileId).where('ownerType', '=', ref.ownerType).where('ownerId', '=', ref.ownerId).executeTakeFirst(),

  /** What closing computes: number of documents and pages (incoming and outgoing, PAGE_COUNT; a Mật one counts whoever closes), first and last document date, incoming documents still being handled. */
  summarize: async (db: Db, fileId: string, finishedIncoming: readonly string[]) => {
    const row = await documentsJoined(db).select((eb) => [
      eb.fn.countAll<number>().as('docTotal'),
      sql<number>`coalesce(sum(${PAGE_COUNT}), 0)::int`.as('pageTotal'),
      sql<string | null>`min(${DOC_DATE})`.as('startDate'),
      sql<string | null>`max(${DOC_DATE})`.as('endDate'),
      sql<number>`count(*) filter (where incoming_document.id is not null and incoming_document.status not in (${sql.join(finishedIncoming)}))::int`.as('unfinished'),
    ]).where('recordsFileDocument.fileId', '=', fileId).executeTakeFirstOrThrow();
    return { docTotal: Number(row.docTotal), pageTotal: Number(row.pageTotal), startDate: row.startDate, endDate: row.endDate, unfinished: Number(row.unfinished) };
  },

  /**
   * The agency's work files of a year (the file plan's year, planned or ad hoc) for the records report, of one
   * unit or owner when asked, with where each stands against its hand-over (isHandOverDue, HAND_OVER_STATE) —
   * and, when an actor is given, only those the actor may open (records.file.view).
   */
  filesOfYear: (db: Db, q: { agencyId: string; year: number; unitId?: string; ownerId?: string; visibleTo?: Actor }) => {
    let query = db.selectFrom('recordsFile')
      .select(['recordsFile.id', 'recordsFile.notation', 'recordsFile.title', 'recordsFile.retention', 'recordsFile.unitId', 'recordsFile.ownerId', 'recordsFile.status',
        'recordsFile.planEntryId', 'recordsFile.docTotal', 'recordsFile.pageTotal'])
      .select((eb) => [eb.and([isHandOverDue()(eb)]).as('isHandOverDue'), HAND_OVER_STATE.as('handOverState'), HAND_OVER_DUE.as('handOverDueDate')])
      .where('recordsFile.agencyId', '=', q.agencyId).where('recordsFile.year', '=', q.year);
    if (q.unitId) query = query.where('recordsFile.unitId', '=', q.unitId);
    if (q.ownerId) query = query.where('recordsFile.ownerId', '=', q.ownerId);
    if (q.visibleTo) query = query.where(recordsFileVisibleTo(q.visibleTo));
    return query.orderBy('recordsFile.notation').execute();
  },

  /** `summarize`'s documents and pages of many files at once (the records report's open files): one grouped query per 1000 files. */
  totalsOf: async (db: Db, fileIds: readonly string[]): Promise<Map<string, { docTotal: number; pageTotal: number }>> => {
    const totals = new Map<string, { docTotal: number; pageTotal: number }>();
    for (let i = 0; i < fileIds.length; i += 1000) {
      const rows = await documentsJoined(db).select((eb) => ['recordsFileDocument.fileId', eb.fn.countAll<number>().as('docTotal'), sql<number>`coalesce(sum(${PAGE_COUNT}), 0)::int`.as('pageTotal')])
        .where('recordsFileDocument.fileId', 'in', fileIds.slice(i, i + 1000)).groupBy('recordsFileDocument.fileId').execute();
      for (const r of rows) totals.set(r.fileId, { docTotal: Number(r.docTotal), pageTotal: Number(r.pageTotal) });
    }
    return totals;
  },

  /**
   * Documents of the agency the actor may see and file, not yet in this file, newest first: registered
   * incoming ones whose words (search_text: sender, số/ký hiệu, trích yếu, người ký, OCR text) hold every
   * word asked, and issued outgoing ones whose search_text (trích yếu, số/ký hiệu, also without diacritics) does. Substrings, so "1187" or
   * "skhcn" find 1187/SKHCN-CĐS (the full-text index only matches whole tokens).
   */
  searchFileable: async (db: Db, actor: Actor, o: { fileId: string; agencyId: string; words: string[]; limit: number }) => {
    // raw SQL: whether the document is already in this file, one correlated EXISTS for either kind
    const filedHere = (ownerType: 'incoming' | 'outgoing') => sql<boolean>`exists (select 1 from records_file_document f where f.file_id = ${o.fileId} and f.owner_type = ${ownerType} and f.owner_id = ${sql.ref(`${ownerType}_document.id`)})`;
    const [incoming, outgoing] = await Promise.all([
      db.selectFrom('incomingDocument')
        .select(['incomingDocument.id', 'incomingDocument.subject', 'incomingDocument.number', 'incomingDocument.notation', 'incomingDocument.issuerName', 'incomingDocument.status',
          'incomingDocument.typeCode', 'incomingDocument.arrivalNumber', 'incomingDocument.arrivedAt as at', 'incomingDocument.documentDate'])
        .where('incomingDocument.agencyId', '=', o.agencyId).where('incomingDocument.status', 'in', FILEABLE_INCOMING)
        .where(incomingVisibleTo(actor)).where((eb) => eb.not(filedHere('incoming')))
        .where((eb) => eb.and(o.words.map((w) => eb.or(toneVariants(w).map((v) => eb('incomingDocument.searchText', 'like', like(v)))))))
        .orderBy('incomingDocument.arrivedAt', 'desc').limit(o.limit).execute(),
      db.selectFrom('outgoingDocument')
        .select(['outgoingDocument.id', 'outgoingDocument.subject', 'outgoingDocument.number', 'outgoingDocument.notation', 'outgoingDocument.status',
          'outgoingDocument.typeCode', 'outgoingDocument.issuedAt as at'])
        .where('outgoingDocument.agencyId', '=', o.agencyId).where('outgoingDocument.status', 'in', FILEABLE_OUTGOING)
        .where(outgoingVisibleTo(actor)).where((eb) => eb.not(filedHere('outgoing')))
        .where((eb) => eb.and(o.words.map((w) => eb.or(toneVariants(w).map((v) => eb('outgoingDocument.searchText', 'like', like(v)))))))
        .orderBy('outgoingDocument.issuedAt', 'desc').limit(o.limit).execute(),
    ]);
    return { incoming, outgoing };
  },

  /** The files holding a document that the actor may see (its page lists them). */
  filesOfDocument: (db: Db, actor: Actor, ref: TDocumentRef) => db.selectFrom('recordsFile')
    .innerJoin('recordsFileDocument', 'recordsFileDocument.fileId', 'recordsFile.id')
    .select(['recordsFile.id', 'recordsFile.notation', 'recordsFile.title', 'recordsFile.year', 'recordsFile.status'])
    .where(recordsFileVisibleTo(actor)).where('recordsFileDocument.ownerType', '=', ref.ownerType).where('recordsFileDocument.ownerId', '=', ref.ownerId)
    .orderBy('recordsFile.year', 'desc').execute(),
  /** Open files of the agency the actor may add to: their own, or (clerks) every open one. */
  openFilesFor: (db: Db, actor: Actor, isClerk: boolean) => {
    let q = db.selectFrom('recordsFile').select(['id', 'notation', 'title', 'year']).where('agencyId', '=', actor.agencyId).where('status', '=', 'open');
    if (!isClerk) q = q.where('ownerId', '=', actor.id);
    return q.orderBy('year', 'desc').orderBy('notation').limit(200).execute();
  },
};
