import { sql, type Selectable } from 'kysely';
import type { Db } from '../../../platform/db/client.ts';
import type { ExchangeEndpoint, ExchangeOutbox } from '../../../platform/db/types.gen.ts';
import { documentIdForms } from '../edxml/edxml.format.ts';

export type EndpointRow = Selectable<ExchangeEndpoint>;
export type OutboxRow = Selectable<ExchangeOutbox>;
/** A claimed outbox row with the agency that sends it. */
export type ClaimedRow = OutboxRow & { agencyId: string };

/** The agency that sends an outbox row: the outgoing document's, or the incoming document's for statuses. */
const SENDER_AGENCY = sql<string>`coalesce(
  (select o.agency_id from outgoing_document o where o.id = exchange_outbox.outgoing_id),
  (select i.agency_id from incoming_document i where i.id = exchange_outbox.incoming_id))`;

/**
 * An outgoing document with what a package says of its agency, and `sentDocumentId`: the DocumentId it was
 * first sent with (remembered before its first package left), null when it never was.
 */
const outgoingWithAgency = (db: Db) => db.selectFrom('outgoingDocument as o').innerJoin('agency as a', 'a.id', 'o.agencyId')
  .select(['o.id', 'o.agencyId', 'o.number', 'o.notation', 'o.issuedAt', 'o.subject', 'o.typeCode', 'o.urgency', 'o.dueDate', 'o.signerPosition', 'o.recipientsText',
    'a.code as agencyCode', 'a.name as agencyName', 'a.placeName'])
  .select((eb) => eb.selectFrom('exchangeDocument as d').select('d.documentId').whereRef('d.outgoingId', '=', 'o.id').whereRef('d.agencyId', '=', 'o.agencyId')
    .orderBy('d.createdAt').orderBy('d.documentId').limit(1).as('sentDocumentId'));

/** An exchange_received row as the connector records it. */
type ReceivedInsert = { agencyId: string; axisDocId: string; messageType: string; packageKey: string | null; outcome: string; reason: string; senderCode: string; incomingId?: string | null };

/** An agency's outbox (`x`): its outgoing documents' packages (`o`) and its statuses about incoming ones (`i`). */
const agencyOutbox = (db: Db, agencyId: string) => db.selectFrom('exchangeOutbox as x')
  .leftJoin('outgoingDocument as o', 'o.id', 'x.outgoingId')
  .leftJoin('incomingDocument as i', 'i.id', 'x.incomingId')
  .where((eb) => eb.or([eb('o.agencyId', '=', agencyId), eb('i.agencyId', '=', agencyId)]));

/** All SQL of the exchange connector. */
export const connectorRepo = {
  findEndpoint: (db: Db, agencyId: string) => db.selectFrom('exchangeEndpoint').selectAll().where('agencyId', '=', agencyId).executeTakeFirst(),
  listEndpoints: (db: Db, onlyEnabled: boolean) => {
    let q = db.selectFrom('exchangeEndpoint as e').innerJoin('agency as a', 'a.id', 'e.agencyId')
      .selectAll('e').select(['a.code as agencyCode', 'a.name as agencyName']);
    if (onlyEnabled) q = q.where('e.isEnabled', '=', true);
    return q.orderBy('a.code').execute();
  },
  upsertEndpoint: (db: Db, v: { agencyId: string; endpoint: string; systemId: string; secret: string; isEnabled: boolean }) =>
    db.insertInto('exchangeEndpoint').values(v).onConflict((oc) => oc.column('agencyId').doUpdateSet({ ...v, updatedAt: new Date(), lastError: null }))
      .returningAll().executeTakeFirstOrThrow(),
  /** Replaces a stored secret only if it is still `from` (compare and set: a row an admin changed meanwhile is left alone). */
  replaceEndpointSecret: async (db: Db, v: { agencyId: string; from: string; to: string }) => Number((await db.updateTable('exchangeEndpoint')
    .set({ secret: v.to, updatedAt: new Date() }).where('agencyId', '=', v.agencyId).where('secret', '=', v.from).executeTakeFirst()).numUpdatedRows),
  markPolled: (db: Db, agencyId: string, error: string | null) =>
    db.updateTable('exchangeEndpoint').set({ lastPollAt: new Date(), lastError: error }).where('agencyId', '=', agencyId).execute(),

  /**
   * Claims due pending rows of agencies with an enabled endpoint, plus every other pending row of the
   * same document package (one package goes to all its recipients: the axis deduplicates by DocumentId),
   * and leases them (next_attempt_at moves ahead) so a crash mid-send only delays a retry.
   */
  claimDue: async (db: Db, o: { limit: number; leaseMs: number; agencyId?: string }): Promise<ClaimedRow[]> => {
    // Raw SQL: a correlated sender-agency expression and FOR UPDATE SKIP LOCKED in one statement.
    const agencyFilter = o.agencyId ? sql`and ${SENDER_AGENCY} = ${o.agencyId}` : sql``;
    const rows = await sql<ClaimedRow>`
      with due as (
        select id, outgoing_id, business_doc_type, package_kind from exchange_outbox
        where status = 'pending' and next_attempt_at <= now()
          and exists (select 1 from exchange_endpoint e where e.is_enabled and e.agency_id = ${SENDER_AGENCY}) ${agencyFilter}
        order by next_attempt_at, created_at, id limit ${o.limit}
        for update skip locked
      ), picked as (
        select id from due
        union
        select x.id from exchange_outbox x join due d on d.package_kind = 'edoc' and x.package_kind = 'edoc'
          and x.outgoing_id = d.outgoing_id and x.business_doc_type = d.business_doc_type and x.status = 'pending'
      )
      update exchange_outbox set attempts = attempts + 1, next_attempt_at = now() + ${`${o.leaseMs} milliseconds`}::interval, updated_at = now()
      where id in (select id from picked)
      returning *, ${SENDER_AGENCY} as agency_id`.execute(db);
    // The database client maps snake_case columns to camelCase, so the rows already have the ClaimedRow shape.
    return rows.rows;
  },
  /** Marks the packages of a sending round sent, each with its axis DocId, in one statement. */
  markSentMany: async (db: Db, packages: readonly { ids: readonly string[]; axisDocId: string }[]) => {
    const rows = packages.flatMap((p) => p.ids.map((id) => sql`(${id}::uuid, ${p.axisDocId})`));
    if (rows.length === 0) return;
    // Raw SQL: an UPDATE … FROM (VALUES …) sets a different DocId per row.
    await sql`update exchange_outbox o set status = 'sent', sent_at = now(), axis_doc_id = v.doc_id, last_error = null, updated_at = now()
      from (values ${sql.join(rows)}) as v(id, doc_id) where o.id = v.id`.execute(db);
  },
  markAttemptFailed: (db: Db, ids: string[], v: { error: string; isFinal: boolean; nextAt: Date }) =>
    db.updateTable('exchangeOutbox').set({
      lastError: v.error.slice(0, 2000), updatedAt: new Date(), ...(v.isFinal ? { status: 'failed' } : { nextAttemptAt: v.nextAt }),
    }).where('id', 'in', ids).where('status', '=', 'pending').execute(),
  /** The document packages to recipients that answered (of the BussinessDocTypes each answer is about): sent, whatever our side last saw; one statement. */
  markDeliveredByAnswers: async (db: Db, answers: readonly { outgoingId: string; recipientCode: string; businessDocTypes: readonly [number, number] }[]) => {
    if (answers.length === 0) return;
    const values = answers.map((a) => sql`(${a.outgoingId}::uuid, ${a.recipientCode}::text, ${a.businessDocTypes[0]}::int, ${a.businessDocTypes[1]}::int)`);
    // Raw SQL: an UPDATE … FROM (VALUES …) matches each answer's own rows.
    await sql`update exchange_outbox o set status = 'sent', sent_at = now(), last_error = null, updated_at = now()
      from (values ${sql.join(values)}) as v(outgoing_id, recipient_code, type_a, type_b)
      where o.outgoing_id = v.outgoing_id and o.recipient_agency_code = v.recipient_code and o.package_kind = 'edoc'
        and o.business_doc_type in (v.type_a, v.type_b) and o.status in ('pending', 'failed')`.execute(db);
  },
  /** A sent document package the axis cannot deliver to one recipient: that recipient's row becomes failed with the reason. */
  markUndelivered: async (db: Db, v: { axisDocId: string; recipientCode: string; error: string }) => Number((await db.updateTable('exchangeOutbox')
    .set({ status: 'failed', lastError: v.error.slice(0, 2000), updatedAt: new Date() })
    .where('axisDocId', '=', v.axisDocId).where('recipientAgencyCode', '=', v.recipientCode).where('packageKind', '=', 'edoc').where('status', '=', 'sent')
    .executeTakeFirst()).numUpdatedRows),
  findOutbox: (db: Db, id: string) => db.selectFrom('exchangeOutbox').selectAll().where('id', '=', id).executeTakeFirst(),
  requeue: (db: Db, id: string) =>
    db.updateTable('exchangeOutbox').set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(), updatedAt: new Date() })
      .where('id', '=', id).where('status', '=', 'failed').returningAll().executeTakeFirst(),
  /**
   * An agency's outbox (its outgoing documents' packages and its statuses about incoming ones), newest
   * first, each with what the clerk recognises it by: the document's số, ký hiệu and trích yếu, and the
   * recipient's name (the outgoing document's recipient, the directory, or the incoming document's issuer).
   */
  listOutbox: (db: Db, o: { agencyId: string; status?: string; limit: number; offset: number }) => {
    let q = agencyOutbox(db, o.agencyId)
      .leftJoin('exchangeDirectoryAgency as d', 'd.code', 'x.recipientAgencyCode')
      .selectAll('x')
      .select((eb) => [
        'o.number as outgoingNumber', 'i.number as incomingNumber',
        eb.fn.coalesce('o.notation', 'i.notation').as('documentNotation'),
        eb.fn.coalesce('o.subject', 'i.subject').as('documentSubject'),
        eb.fn.coalesce(
          eb.selectFrom('outgoingRecipient as r').select('r.name').whereRef('r.outgoingId', '=', 'x.outgoingId').whereRef('r.agencyCode', '=', 'x.recipientAgencyCode').limit(1),
          'd.name', 'i.issuerName').as('recipientName'),
      ]);
    if (o.status) q = q.where('x.status', '=', o.status);
    return q.orderBy('x.createdAt', 'desc').orderBy('x.id').limit(o.limit).offset(o.offset).execute();
  },
  /** How many of the agency's outbox packages have `status`, counted in the database. */
  countOutbox: async (db: Db, agencyId: string, status: string) => Number((await agencyOutbox(db, agencyId)
    .select((eb) => eb.fn.countAll().as('n')).where('x.status', '=', status).executeTakeFirstOrThrow()).n),
  outboxAgencyId: async (db: Db, row: { outgoingId: string | null; incomingId: string | null }) => {
    if (row.outgoingId) return (await db.selectFrom('outgoingDocument').select('agencyId').where('id', '=', row.outgoingId).executeTakeFirst())?.agencyId;
    if (row.incomingId) return (await db.selectFrom('incomingDocument').select('agencyId').where('id', '=', row.incomingId).executeTakeFirst())?.agencyId;
    return undefined;
  },

  /** Remembers the DocumentIds the packages of a sending round carry (one statement), so that statuses find their outgoing document. */
  rememberDocumentIds: (db: Db, rows: readonly { agencyId: string; documentId: string; outgoingId: string }[]) =>
    rows.length === 0 ? Promise.resolve() : db.insertInto('exchangeDocument').values([...rows]).onConflict((oc) => oc.columns(['agencyId', 'documentId']).doNothing()).execute().then(() => undefined),
  outgoingOfDocumentId: async (db: Db, agencyId: string, documentId: string) =>
    (await db.selectFrom('exchangeDocument').select('outgoingId').where('agencyId', '=', agencyId).where('documentId', '=', documentId).executeTakeFirst())?.outgoingId,
  documentIdOf: async (db: Db, outgoingId: string) =>
    (await db.selectFrom('exchangeDocument').select('documentId').where('outgoingId', '=', outgoingId).orderBy('createdAt').executeTakeFirst())?.documentId,
  outgoingForPackage: (db: Db, id: string) => outgoingWithAgency(db).where('o.id', '=', id).executeTakeFirst(),
  /** The outgoing documents of a sending round's document packages, with their agency (one query for the round). */
  outgoingForPackages: (db: Db, ids: readonly string[]) => ids.length === 0 ? Promise.resolve([]) : outgoingWithAgency(db).where('o.id', 'in', [...ids]).execute(),
  /** The external recipients of some outgoing documents (one query for a sending round). */
  externalRecipients: (db: Db, outgoingIds: readonly string[]) => outgoingIds.length === 0 ? Promise.resolve([]) :
    db.selectFrom('outgoingRecipient').select(['id', 'outgoingId', 'agencyCode', 'name']).where('outgoingId', 'in', [...outgoingIds]).where('kind', '=', 'external').execute(),
  /** Agencies on this install that received the document (their incoming document). */
  internalRecipients: (db: Db, outgoingId: string) =>
    db.selectFrom('outgoingRecipient').select(['id', 'incomingId']).where('outgoingId', '=', outgoingId).where('kind', '=', 'agency')
      .where('incomingId', 'is not', null).$narrowType<{ incomingId: string }>().execute(),
  /** The external recipients (by code) of the outgoing documents we sent under these DocumentIds, locked, with the DocumentId; one query for a batch. */
  externalRecipientsOfDocumentsForUpdate: (db: Db, agencyId: string, pairs: readonly { documentId: string; code: string }[]) => pairs.length === 0 ? Promise.resolve([]) :
    db.selectFrom('outgoingRecipient').innerJoin('exchangeDocument as d', 'd.outgoingId', 'outgoingRecipient.outgoingId').selectAll('outgoingRecipient').select('d.documentId')
      .where('d.agencyId', '=', agencyId).where('outgoingRecipient.kind', '=', 'external')
      .where((eb) => eb.or(pairs.map((p) => eb.and([eb('d.documentId', '=', p.documentId), eb('outgoingRecipient.agencyCode', '=', p.code)]))))
      .forUpdate('outgoingRecipient').execute(),

  /** Serialises taking in packages for one agency until the transaction ends (several pollers of one axis). */
  lockReceiving: (db: Db, agencyId: string) => sql`select pg_advisory_xact_lock(hashtext(${`exchange.receive:${agencyId}`}))`.execute(db).then(() => undefined),
  /** The axis DocIds among `axisDocIds` already recorded for the agency. */
  receivedDocIds: async (db: Db, agencyId: string, axisDocIds: string[]) => axisDocIds.length === 0 ? new Map<string, string>()
    : new Map((await db.selectFrom('exchangeReceived').select(['axisDocId', 'outcome']).where('agencyId', '=', agencyId).where('axisDocId', 'in', axisDocIds).execute())
      .map((r) => [r.axisDocId, r.outcome])),
  /** In one query, for a batch: the records of these axis DocIds, and the accepted packages with one of these keys (under any DocId). */
  findReceivedMany: (db: Db, agencyId: string, axisDocIds: string[], packageKeys: string[]) =>
    axisDocIds.length === 0 ? Promise.resolve([]) : db.selectFrom('exchangeReceived').select(['axisDocId', 'packageKey', 'outcome', 'reason', 'incomingId'])
      .where('agencyId', '=', agencyId)
      .where((eb) => eb.or([eb('axisDocId', 'in', axisDocIds), ...(packageKeys.length > 0 ? [eb.and([eb('packageKey', 'in', packageKeys), eb('outcome', '=', 'accepted')])] : [])]))
      .execute(),
  insertReceived: (db: Db, v: ReceivedInsert) =>
    db.insertInto('exchangeReceived').values(v).onConflict((oc) => oc.columns(['agencyId', 'axisDocId']).doNothing()).execute(),
  /** The exchange_received rows of a batch of packages, in one statement. */
  insertReceivedMany: (db: Db, rows: readonly ReceivedInsert[]) =>
    rows.length === 0 ? Promise.resolve() : db.insertInto('exchangeReceived').values([...rows]).onConflict((oc) => oc.columns(['agencyId', 'axisDocId']).doNothing()).execute().then(() => undefined),
  /** Received packages of the agency that failed before: attempts so far and when the next one is due. */
  receiveAttempts: async (db: Db, agencyId: string, axisDocIds: string[]) => axisDocIds.length === 0 ? new Map<string, { attempts: number; nextAttemptAt: Date }>()
    : new Map((await db.selectFrom('exchangeReceiveAttempt').select(['axisDocId', 'attempts', 'nextAttemptAt']).where('agencyId', '=', agencyId).where('axisDocId', 'in', axisDocIds).execute())
      .map((r) => [r.axisDocId, { attempts: r.attempts, nextAttemptAt: r.nextAttemptAt }])),
  /** Counts one more failed attempt at taking in a package; returns the attempts so far. */
  countReceiveFailure: async (db: Db, v: { agencyId: string; axisDocId: string; error: string; nextAt: (attempts: number) => Date }) => {
    const row = await db.insertInto('exchangeReceiveAttempt').values({ agencyId: v.agencyId, axisDocId: v.axisDocId, attempts: 1, lastError: v.error.slice(0, 2000), nextAttemptAt: v.nextAt(1) })
      .onConflict((oc) => oc.columns(['agencyId', 'axisDocId']).doUpdateSet((eb) => ({ attempts: eb('exchangeReceiveAttempt.attempts', '+', 1), lastError: v.error.slice(0, 2000), updatedAt: new Date() })))
      .returning('attempts').executeTakeFirstOrThrow();
    if (row.attempts > 1) {
      await db.updateTable('exchangeReceiveAttempt').set({ nextAttemptAt: v.nextAt(row.attempts) }).where('agencyId', '=', v.agencyId).where('axisDocId', '=', v.axisDocId).execute();
    }
    return row.attempts;
  },
  clearReceiveAttempts: (db: Db, agencyId: string, axisDocIds: string[]) =>
    axisDocIds.length === 0 ? Promise.resolve() : db.deleteFrom('exchangeReceiveAttempt').where('agencyId', '=', agencyId).where('axisDocId', 'in', axisDocIds).execute().then(() => undefined),
  /** The agency's refused packages, newest first, with the sender's name and mail when the synced directory or this install knows its code. */
  listRefused: (db: Db, agencyId: string, limit: number) =>
    db.selectFrom('exchangeReceived as r')
      .leftJoin('exchangeDirectoryAgency as d', 'd.code', 'r.senderCode')
      .leftJoin('agency as a', (j) => j.onRef('a.code', '=', 'r.senderCode'))
      .selectAll('r')
      .select((eb) => [eb.fn.coalesce('d.name', 'a.name').as('senderName'), eb.fn.coalesce('d.mail', 'a.email').as('senderMail')])
      .where('r.agencyId', '=', agencyId).where('r.outcome', '=', 'refused').orderBy('r.id', 'desc').limit(limit).execute(),
  countRefused: async (db: Db, agencyId: string) => Number((await db.selectFrom('exchangeReceived')
    .select((eb) => eb.fn.countAll().as('n')).where('agencyId', '=', agencyId).where('outcome', '=', 'refused').executeTakeFirstOrThrow()).n),
  findRefusedForUpdate: (db: Db, agencyId: string, id: number) =>
    db.selectFrom('exchangeReceived').selectAll().where('id', '=', id).where('agencyId', '=', agencyId).where('outcome', '=', 'refused').forUpdate().executeTakeFirst(),
  /** Forgets a refused package, so that the next poll fetches it again from the axis (which lists it until acknowledged "done"). */
  deleteReceived: (db: Db, id: number) => db.deleteFrom('exchangeReceived').where('id', '=', id).execute().then(() => undefined),

  findPin: (db: Db, agencyId: string, senderCode: string) =>
    db.selectFrom('exchangeSenderPin').selectAll().where('agencyId', '=', agencyId).where('senderCode', '=', senderCode).executeTakeFirst(),
  /** The pinned certificates of some senders (one query for a batch of received packages). */
  findPins: (db: Db, agencyId: string, senderCodes: string[]) => senderCodes.length === 0 ? Promise.resolve([])
    : db.selectFrom('exchangeSenderPin').select(['senderCode', 'certSha256']).where('agencyId', '=', agencyId).where('senderCode', 'in', senderCodes).execute(),
  /** Pins a sender's certificate unless one is pinned already; true when this one was pinned. */
  insertPin: async (db: Db, v: { agencyId: string; senderCode: string; certSha256: string; subject: string }) =>
    Number((await db.insertInto('exchangeSenderPin').values(v).onConflict((oc) => oc.columns(['agencyId', 'senderCode']).doNothing()).executeTakeFirst()).numInsertedOrUpdatedRows ?? 0) > 0,
  upsertPin: (db: Db, v: { agencyId: string; senderCode: string; certSha256: string; subject: string }) =>
    db.insertInto('exchangeSenderPin').values(v).onConflict((oc) => oc.columns(['agencyId', 'senderCode']).doUpdateSet({ certSha256: v.certSha256, subject: v.subject, pinnedAt: new Date() })).execute(),

  /**
   * The latest incoming document of an agency that came with this DocumentId, or with it with its số below
   * 10 written the other way («2» / «02», documentIdForms) when none came with it exactly; one still in the
   * agency's work before one returned or recalled (a request about that one is answered at once); locked.
   */
  incomingByDocumentId: (db: Db, agencyId: string, documentId: string) =>
    db.selectFrom('incomingDocument').selectAll().where('agencyId', '=', agencyId).where('externalDocumentId', 'in', documentIdForms(documentId))
      .orderBy((eb) => eb('status', 'not in', ['refused', 'recalled']), 'desc')
      .orderBy((eb) => eb('externalDocumentId', '=', documentId), 'desc').orderBy('createdAt', 'desc').limit(1).forUpdate().executeTakeFirst(),

  insertEdocOutbox: (db: Db, v: { outgoingId: string; recipientAgencyCode: string; businessDocType: number; payload: unknown }) =>
    db.insertInto('exchangeOutbox').values({ ...v, packageKind: 'edoc', payload: JSON.stringify(v.payload) }).execute(),

  agency: (db: Db, id: string) => db.selectFrom('agency').select(['id', 'code', 'name', 'address', 'email', 'phone', 'placeName']).where('id', '=', id).executeTakeFirst(),
  agencyByCode: (db: Db, code: string) => db.selectFrom('agency').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst(),
  activeSeal: (db: Db, agencyId: string) =>
    db.selectFrom('signingCertificate').select(['id', 'p12Sha256', 'p12Secret']).where('agencyId', '=', agencyId).where('purpose', '=', 'seal')
      .where('isActive', '=', true).orderBy('createdAt', 'desc').limit(1).executeTakeFirst(),

  /** Finished connector ticks older than `before` (one per poll interval would pile up). */
  pruneTicks: (db: Db, before: Date) => db.deleteFrom('job').where('type', '=', 'exchange.tick').where('doneAt', '<', before).execute(),

  upsertDirectory: (db: Db, rows: { code: string; name: string; parentCode: string | null; mail: string; isDeleted: boolean }[]) =>
    rows.length === 0 ? Promise.resolve() : db.insertInto('exchangeDirectoryAgency').values(rows.map((r) => ({ ...r, syncedAt: new Date() })))
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'), parentCode: eb.ref('excluded.parentCode'), mail: eb.ref('excluded.mail'), isDeleted: eb.ref('excluded.isDeleted'), syncedAt: new Date(),
      }))).execute().then(() => undefined),
  lastDirectorySync: async (db: Db) => (await db.selectFrom('exchangeDirectoryAgency').select((eb) => eb.fn.max('syncedAt').as('at')).executeTakeFirst())?.at ?? null,
  /** The whole live directory, each agency with its parent's name (null at the top or when the parent is unknown). */
  listDirectoryWithParent: (db: Db) =>
    db.selectFrom('exchangeDirectoryAgency as d').leftJoin('exchangeDirectoryAgency as p', 'p.code', 'd.parentCode')
      .select(['d.code', 'd.name', 'p.name as parentName']).where('d.isDeleted', '=', false).orderBy('d.code').execute(),
  listDirectory: (db: Db, o: { search?: string; limit: number }) => {
    let q = db.selectFrom('exchangeDirectoryAgency').selectAll().where('isDeleted', '=', false);
    if (o.search) q = q.where((eb) => eb.or([eb('name', 'ilike', `%${o.search}%`), eb('code', 'ilike', `%${o.search}%`)]));
    return q.orderBy('code').limit(o.limit).execute();
  },
};
