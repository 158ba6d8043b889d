import type { Db } from '../../platform/db/client.ts';
import type { SenderCandidate } from './incoming.sender-name.ts';

// a bound on the earlier senders read for one match (the most recent ones; an agency has some hundreds)
const EARLIER_SENDERS = 2000;

/** SQL for the names a scan's OCR'd sender is matched against (incoming-ocr-sender.service.ts). */
export const ocrSenderRepo = {
  /** The axis directory's live agencies, each with its parent's name (read whole: matching is by similarity, not by SQL). */
  directory: (db: Db): Promise<SenderCandidate[]> =>
    db.selectFrom('exchangeDirectoryAgency as d').leftJoin('exchangeDirectoryAgency as p', 'p.code', 'd.parentCode')
      .select((eb) => ['d.code', 'd.name', eb.fn.coalesce('p.name', eb.val('')).as('context')])
      .where('d.isDeleted', '=', false).execute(),
  /** The agencies of this install, each with its governing body (ô 1) or else its parent's name. */
  agencies: (db: Db): Promise<SenderCandidate[]> =>
    db.selectFrom('agency as a').leftJoin('agency as p', 'p.id', 'a.parentId')
      .select((eb) => ['a.code', 'a.name', eb.fn.coalesce('a.governingName', 'p.name', eb.val('')).as('context')]).execute(),
  /** The senders of the agency's earlier incoming documents, most recent first, each name once with its latest code. */
  earlierSenders: async (db: Db, agencyId: string, exceptId: string): Promise<SenderCandidate[]> => {
    const rows = await db.selectFrom('incomingDocument').select((eb) => ['issuerName as name', eb.fn.max('issuerCode').as('code'), eb.fn.max('arrivedAt').as('lastAt')])
      .where('agencyId', '=', agencyId).where('issuerName', '<>', '').where('id', '<>', exceptId)
      .groupBy('issuerName').orderBy('lastAt', 'desc').limit(EARLIER_SENDERS).execute();
    return rows.map((r) => ({ name: r.name, code: r.code ?? '', context: '' }));
  },
};
