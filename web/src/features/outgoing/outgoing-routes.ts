import { hasAnyRole, type Role, type SessionUser } from '../../auth/session.ts';
import type { MessageKey } from '../../i18n/vi.ts';
import { OUTGOING_BOX_ROLES } from '../../../../src/domain/outgoing/outgoing.boxes.ts';

/** The work lists of outgoing documents (the server's `box` values). */
export type Box = 'drafts' | 'review' | 'signature' | 'to_issue' | 'issued';

/** Roles that draft documents (the server's rule: src/policies/outgoing.ts, outgoing.create — the drafts list's roles). */
export const DRAFTER_ROLES: readonly Role[] = OUTGOING_BOX_ROLES.drafts;
/** Roles that see the outgoing register (the server's rule: outgoing.register). */
export const REGISTER_ROLES: readonly Role[] = ['clerk', 'leader', 'unit_head', 'archivist', 'admin'];

/** Roles that see the packages sent through the exchange axis and the refused ones received (the server's rule: exchange.view). */
export const EXCHANGE_ROLES: readonly Role[] = ['clerk', 'leader', 'admin'];
/** The home page's counts of packages waiting for a person (GET /api/exchange/alerts); a retry or a refetch refreshes them. */
export const EXCHANGE_ALERTS_KEY = ['exchange', 'alerts'] as const;

/** Roles that delegate their approval signature (the server's rule: outgoing.delegate). */
export const DELEGATION_ROLES: readonly Role[] = ['leader'];
/** Roles that set the agency's review chain (the server's rule: outgoing.configure). */
export const CHAIN_ROLES: readonly Role[] = ['admin'];

/** Each work list: its address, title and who sees it in the navigation (the server's OUTGOING_BOX_ROLES: it refuses the list to anyone else). */
export const BOXES: Record<Box, { path: string; label: MessageKey; help: MessageKey; roles: readonly Role[] }> = {
  drafts: { path: '/outgoing/drafts', label: 'outgoing.box.drafts', help: 'outgoing.box.drafts.help', roles: OUTGOING_BOX_ROLES.drafts },
  review: { path: '/outgoing/review', label: 'outgoing.box.review', help: 'outgoing.box.review.help', roles: OUTGOING_BOX_ROLES.review },
  signature: { path: '/outgoing/signature', label: 'outgoing.box.signature', help: 'outgoing.box.signature.help', roles: OUTGOING_BOX_ROLES.signature },
  to_issue: { path: '/outgoing/to-issue', label: 'outgoing.box.to_issue', help: 'outgoing.box.to_issue.help', roles: OUTGOING_BOX_ROLES.to_issue },
  issued: { path: '/outgoing/issued', label: 'outgoing.box.issued', help: 'outgoing.box.issued.help', roles: OUTGOING_BOX_ROLES.issued },
};

/** The lists that hold someone's daily work (all but «Đã phát hành»). */
export type WorkBox = Exclude<Box, 'issued'>;

/**
 * Whose daily work each list is: the home page shows them its tile even at 0, and /outgoing opens it. Anyone
 * else who has the list sees it only while something waits in it — a leader drafts now and then, a staff
 * member is sometimes in a review chain, a unit head signs what the leader lets them sign.
 */
export const BOX_OWNERS: Record<WorkBox, readonly Role[]> = { drafts: ['staff', 'unit_head'], review: ['leader', 'unit_head'], signature: ['leader'], to_issue: ['clerk'] };

/**
 * The list /outgoing opens: the first of the user's daily work in this order — a leader's «Chờ tôi ký», a
 * unit head's «Chờ tôi duyệt», a staff member's drafts, the clerk's «Chờ phát hành»; for a user who owns none
 * of them, the first list they have in the navigation's order; the archivist, who has no work list, the
 * register; anyone else the home page.
 */
export function outgoingHomeOf(user: Pick<SessionUser, 'roles'>): string {
  const work = (['signature', 'review', 'drafts', 'to_issue'] as const).find((b) => hasAnyRole(user, BOX_OWNERS[b]));
  if (work) return BOXES[work].path;
  return Object.values(BOXES).find((b) => hasAnyRole(user, b.roles))?.path ?? (hasAnyRole(user, REGISTER_ROLES) ? '/outgoing/register' : '/');
}

/** The title of the page outgoingHomeOf sends to: a work list's, the register's, or the home page's. */
export function outgoingHomeLabel(path: string): MessageKey {
  return Object.values(BOXES).find((b) => b.path === path)?.label ?? (path === '/outgoing/register' ? 'nav.outgoing.register' : 'nav.dashboard');
}

/** The router paths of the work lists (without the leading slash). */
export const OUTGOING_ROUTE_PATHS = Object.values(BOXES).map((b) => b.path.slice(1));
