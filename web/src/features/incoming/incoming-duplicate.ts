import { api, unwrap } from '../../api/client.ts';
import type { IncomingListItem } from './incoming-api.ts';

/** What tells one document from another in the register (ND 30 Art. 22): who issued it, its số, ký hiệu and date. */
export type DocumentKey = { issuerName: string; issuerCode: string | null; number: string; notation: string; documentDate: string };

const fold = (s: string | null | undefined) => (s ?? '').normalize('NFC').toLowerCase().replace(/\s+/g, '');
// «0245» and «245» are one số
const numberKey = (s: string) => fold(s).replace(/^0+(?=\d)/, '');

/**
 * Whether two entries are one document, by the server's duplicate rule (incomingRepo.flagDuplicates): the same
 * số (leading zeros and spaces ignored), ký hiệu (case and spaces ignored) and date, from the same issuer (code,
 * or name in any case). Without a ký hiệu or a date nothing is compared.
 */
export function isSameDocument(a: DocumentKey, b: DocumentKey): boolean {
  if (!a.notation.trim() || !a.documentDate || a.documentDate !== b.documentDate) return false;
  if (numberKey(a.number) !== numberKey(b.number) || fold(a.notation) !== fold(b.notation)) return false;
  const sameCode = !!a.issuerCode && !!b.issuerCode && a.issuerCode.trim() === b.issuerCode.trim();
  return sameCode || (!!fold(a.issuerName) && fold(a.issuerName) === fold(b.issuerName));
}

/**
 * The document already in the register that the entry about to be registered repeats (a paper copy of an
 * electronic one, a scan received twice), found before a new số đến is taken; null when there is none.
 */
export async function findRegisteredTwin(id: string, entry: DocumentKey): Promise<IncomingListItem | null> {
  if (!entry.notation.trim() || !entry.documentDate) return null;
  const rows = (await unwrap(api.incoming.$get({ query: { box: 'all', q: entry.notation.trim() } }))).data;
  return rows.find((r) => r.id !== id && r.arrivalNumber !== null && r.status !== 'refused'
    && isSameDocument(entry, { issuerName: r.issuerName, issuerCode: r.issuerCode, number: r.number, notation: r.notation, documentDate: r.documentDate ?? '' })) ?? null;
}
