import type { AppDeps } from '../../platform/deps.ts';
import type { Actor } from '../../policies/actor.ts';
import { findFile } from '../files/files.service.ts';
import { fileNotFound } from '../files/files.errors.ts';
import { loadVisible } from '../outgoing/outgoing.service.ts';
import { getIncoming } from '../incoming/incoming-query.service.ts';
import { verifyStoredPdf } from './verification.service.ts';

/**
 * The signature report of one PDF file of a document, for the in-app signature panel. The actor must be
 * allowed to see the document (checked by its own domain: not found otherwise), and the file must
 * belong to it. Throws outgoing.not_found, incoming.not_found, files.not_found.
 */
export async function verifyDocumentFile(deps: AppDeps, actor: Actor, o: { ownerType: 'outgoing' | 'incoming'; ownerId: string; fileId: string }) {
  if (o.ownerType === 'outgoing') await loadVisible({ db: deps.db, actor, id: o.ownerId });
  else await getIncoming({ db: deps.db, actor, id: o.ownerId });
  const file = await findFile(deps.db, o.fileId);
  if (!file || file.ownerType !== o.ownerType || file.ownerId !== o.ownerId || file.contentType !== 'application/pdf') throw fileNotFound();
  return verifyStoredPdf(deps, { sha256: file.sha256, fileName: file.fileName });
}
