import { rolesAllow, type Role } from '../../policies/actor.ts';
import type { WorkBox } from './outgoing.repository.ts';

/**
 * Every outgoing list (GET /api/outgoing?box=…) with the roles that have it — null: everyone's (the search page's
 * «all»). A user opens only the lists of their roles (policy outgoing.list_box: another is answered 403
 * outgoing.box_not_allowed) and sees in it what they may see; the web app's navigation follows this table. No zod
 * here: the web app imports it.
 */
export const OUTGOING_BOX_ROLES = {
  // drafts and reviews: every role that may draft (outgoing.create) — a clerk drafts too, and any colleague may be put in a review chain
  drafts: ['staff', 'unit_head', 'leader', 'clerk'], review: ['staff', 'unit_head', 'leader', 'clerk'], signature: ['leader', 'unit_head'], to_issue: ['clerk'],
  issued: ['staff', 'unit_head', 'leader', 'clerk'], all: null,
} as const satisfies Record<WorkBox, readonly Role[] | null>;

/** The lists of work waiting for the user, which the home page counts (GET /api/outgoing/counts), in the tiles' order. */
export const OUTGOING_WORK_BOXES = ['drafts', 'review', 'signature', 'to_issue'] as const satisfies readonly WorkBox[];
export type OutgoingWorkBox = (typeof OUTGOING_WORK_BOXES)[number];

/** Whether a user's roles give them a list. */
export const hasOutgoingBox = (user: { roles: readonly string[] }, box: WorkBox): boolean => rolesAllow(OUTGOING_BOX_ROLES[box], user);

/** The work lists a user's roles give them, in the table's order. */
export const outgoingWorkBoxesOf = (user: { roles: readonly string[] }): OutgoingWorkBox[] =>
  OUTGOING_WORK_BOXES.filter((box) => hasOutgoingBox(user, box));
