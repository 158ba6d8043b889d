import { splitPairs } from '../i18n/pairs.ts';

/**
 * The strings of the shared components of the pages behind the login (this folder) that more than one feature
 * uses: [Vietnamese, English] per key, spread into features.ts's catalogues.
 */
const M = {
  // RedirectToOwnList (list-redirect.tsx): the incoming and the outgoing lists
  'list.notAllowed': ['Bạn không có quyền xem danh sách này; đã chuyển tới «{list}».', 'You may not see that list; you were taken to «{list}».'],
  // Fingerprint (fingerprint.tsx): the trusted certificates (admin) and the certificate a signature's chain lacks
  'ui.fingerprint': ['Dấu vân tay SHA-256: {value}', 'SHA-256 fingerprint: {value}'],
} as const satisfies Record<string, readonly [string, string]>;

export const [uiVi, uiEn] = splitPairs(M);
