import { sql } from 'kysely';
import type { Db } from '../../platform/db/client.ts';

/** The current files only: a PDF the archive renewed (docs/archive.md) is replaced by its newer version. Raw SQL: array containment on the lineage. */
const notSuperseded = sql<boolean>`not exists (select 1 from archive_file a where a.version_file_ids @> array[document_file.id] and a.current_file_id <> document_file.id)`;

/**
 * The SQL of a whole work file's export (records-file-export.ts): the Phụ lục VI Part II metadata of the
 * documents the actor may open, and their files. The caller has checked what the actor may see.
 */
export const recordsExportRepo = {
  /** Incoming documents' metadata (Phụ lục VI Part II, Mục II), with who directed them. */
  incoming: (db: Db, ids: readonly string[]) => ids.length === 0 ? Promise.resolve([]) : db.selectFrom('incomingDocument')
    .leftJoin('appUser as director', 'director.id', 'incomingDocument.directedBy')
    .select(['incomingDocument.id', 'incomingDocument.typeCode', 'incomingDocument.number', 'incomingDocument.notation', 'incomingDocument.documentDate',
      'incomingDocument.issuerCode', 'incomingDocument.issuerName', 'incomingDocument.subject', 'incomingDocument.pageCount', 'incomingDocument.notes',
      'incomingDocument.arrivedAt', 'incomingDocument.arrivalNumber', 'incomingDocument.signerName', 'incomingDocument.signerPosition',
      'incomingDocument.urgency', 'incomingDocument.secrecy', 'incomingDocument.dueDate', 'incomingDocument.direction', 'incomingDocument.directedAt',
      'incomingDocument.status', 'director.fullName as directorName'])
    .where('incomingDocument.id', 'in', [...ids]).execute(),

  /** Who received incoming documents to handle (ToPlaces): each active assignment's person or unit and role. */
  assignments: (db: Db, ids: readonly string[]) => ids.length === 0 ? Promise.resolve([]) : db.selectFrom('incomingAssignment')
    .leftJoin('appUser', 'appUser.id', 'incomingAssignment.userId').leftJoin('unit', 'unit.id', 'incomingAssignment.unitId')
    .select(['incomingAssignment.incomingId', 'incomingAssignment.role', 'incomingAssignment.status', 'appUser.fullName', 'unit.name as unitName'])
    .where('incomingAssignment.incomingId', 'in', [...ids]).where('incomingAssignment.isActive', '=', true)
    .orderBy('incomingAssignment.assignedAt').execute(),

  /** Outgoing documents' metadata (Phụ lục VI Part II, Mục I), with their agency and the person who signed (approved) them. */
  outgoing: (db: Db, ids: readonly string[]) => ids.length === 0 ? Promise.resolve([]) : db.selectFrom('outgoingDocument')
    .innerJoin('agency', 'agency.id', 'outgoingDocument.agencyId').leftJoin('appUser as approver', 'approver.id', 'outgoingDocument.approvedBy')
    .select(['outgoingDocument.id', 'outgoingDocument.typeCode', 'outgoingDocument.number', 'outgoingDocument.notation', 'outgoingDocument.issuedAt',
      'outgoingDocument.subject', 'outgoingDocument.note', 'outgoingDocument.signerId', 'outgoingDocument.approvedBy', 'outgoingDocument.signerPosition',
      'outgoingDocument.urgency', 'outgoingDocument.secrecy', 'outgoingDocument.copies', 'outgoingDocument.dueDate', 'outgoingDocument.status',
      'agency.code as agencyCode', 'agency.name as agencyName', 'approver.fullName as approverName', 'approver.position as approverPosition'])
    .where('outgoingDocument.id', 'in', [...ids]).execute(),

  /** Outgoing documents' recipients (Nơi nhận, To). */
  recipients: (db: Db, ids: readonly string[]) => ids.length === 0 ? Promise.resolve([]) : db.selectFrom('outgoingRecipient')
    .select(['outgoingId', 'kind', 'agencyCode', 'name']).where('outgoingId', 'in', [...ids]).orderBy('createdAt').orderBy('id').execute(),

  /** The current files (not superseded by an archive renewal) of some documents of one kind, oldest first. */
  files: (db: Db, ownerType: 'incoming' | 'outgoing', ids: readonly string[]) => ids.length === 0 ? Promise.resolve([]) : db.selectFrom('documentFile')
    .select(['id', 'ownerId', 'kind', 'version', 'note', 'fileName', 'contentType', 'size', 'sha256', 'pageCount', 'createdAt'])
    .where('ownerType', '=', ownerType).where('ownerId', 'in', [...ids]).where(notSuperseded)
    .orderBy('createdAt').orderBy('kind').orderBy('version').execute(),
};
export type ExportFileRow = Awaited<ReturnType<typeof recordsExportRepo.files>>[number];
