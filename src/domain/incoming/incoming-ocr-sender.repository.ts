import type { Db } from '../../platform/db/client.ts';
import type { SenderCandidate } from './incoming.sender-name.ts';

// a bound on the earlier senders read for one match (the most recent ones; an agency has some hundreds)
const EARLIER_SENDERS = 2000;

/**
 * SQL of this domain for the names a scan's OCR'd sender is matched against (incoming-ocr-sender.service.ts); the
 * axis directory and this install's agencies are read through their own domains' services.
 */
export const ocrSenderRepo = {
  /**
   * The senders of the agency's earlier incoming documents, most recent first, each name once with the code of its
   * latest document (registered, else received, last) that has one — a later hand-written entry without a code
   * does not lose the code the sender is known by.
   */
  earlierSenders: async (db: Db, agencyId: string, exceptId: string): Promise<SenderCandidate[]> => {
    const latestFirst = db.selectFrom('incomingDocument')
      .distinctOn('issuerName')
      .select((eb) => ['issuerName as name', 'issuerCode as code', eb.fn.coalesce('registeredAt', 'createdAt').as('at')])
      .where('agencyId', '=', agencyId).where('issuerName', '<>', '').where('id', '<>', exceptId)
      .orderBy('issuerName').orderBy((eb) => eb('issuerCode', '=', ''))
      .orderBy((eb) => eb.fn.coalesce('registeredAt', 'createdAt'), 'desc').orderBy('createdAt', 'desc');
    const rows = await db.selectFrom(latestFirst.as('s')).select(['s.name', 's.code']).orderBy('s.at', 'desc').limit(EARLIER_SENDERS).execute();
    return rows.map((r) => ({ name: r.name, code: r.code, context: '' }));
  },
};
