import { authorize } from '../../policies/index.ts';
import { listDirectoryWithParents } from '../exchange/connector/connector.service.ts';
import { listAllAgencies } from '../orgs/orgs.service.ts';
import { guessFromOcr } from './incoming.ocr-guess.ts';
import { loadDocument, type ServiceCtx } from './incoming.shared.ts';
import { agencyNameCase, matchSender, type SenderCandidate } from './incoming.sender-name.ts';
import { ocrSenderRepo } from './incoming-ocr-sender.repository.ts';

/** Where a scan's sender was found: the axis directory, this install's agencies, earlier incoming documents; null: written from the scan. */
export type SenderSource = 'directory' | 'agency' | 'earlier' | null;

export type OcrSender = {
  /** The sender as the register form should have it: the matched agency's name, or the printed one written as ND 30 writes names. */
  issuerName: string;
  /** The matched agency's code (mã định danh), '' when none is known. */
  issuerCode: string;
  matchedFrom: SenderSource;
  /** What OCR read in the header (ô 2), and the governing body above it (ô 1). */
  printedName: string;
  printedGoverning: string;
};

type SourceCtx = Pick<ServiceCtx, 'db'> & { agencyId: string; id: string };

// each source read through its own domain (house-style §1): the exchange connector's directory, orgs, incoming
const SOURCES: readonly (readonly [SenderSource, (c: SourceCtx) => Promise<SenderCandidate[]>])[] = [
  ['directory', async (c) => (await listDirectoryWithParents(c.db)).map((d) => ({ code: d.code, name: d.name, context: d.parentName ?? '' }))],
  // an agency's papers print its cơ quan chủ quản (ô 1) when it has one, else it sits under its parent
  ['agency', async (c) => (await listAllAgencies(c.db)).map((a) => ({ code: a.code, name: a.name, context: a.governingName ?? a.parentName ?? '' }))],
  ['earlier', (c) => ocrSenderRepo.earlierSenders(c.db, c.agencyId, c.id)],
];

/**
 * The sender of a scan waiting to be registered, from its OCR'd header put to a name vanthu knows — the axis
 * directory first, then this install's agencies, then the senders of the agency's earlier documents — with the
 * agency code; when none matches, the printed name written as ND 30 writes it. null when the document is no
 * unregistered scan or OCR read no sender. Throws incoming.not_found, forbidden (not the clerk who registers it).
 */
export async function resolveOcrSender(c: Pick<ServiceCtx, 'db' | 'actor'> & { id: string }): Promise<OcrSender | null> {
  const { doc, subject } = await loadDocument(c.db, c.actor, c.id, false);
  authorize(c.actor, 'incoming.register', subject);
  if (doc.source !== 'paper' || doc.status !== 'received' || !doc.ocrText) return null;
  const guess = guessFromOcr(doc.ocrText);
  if (!guess.issuerName) return null;
  const printed = { printedName: guess.issuerName, printedGoverning: guess.governingName };
  for (const [source, candidatesOf] of SOURCES) {
    const match = matchSender(guess.issuerName, guess.governingName, await candidatesOf({ db: c.db, agencyId: doc.agencyId, id: doc.id }));
    if (match) return { issuerName: agencyNameCase(match.name), issuerCode: match.code, matchedFrom: source, ...printed };
  }
  return { issuerName: agencyNameCase(guess.issuerName), issuerCode: '', matchedFrom: null, ...printed };
}
