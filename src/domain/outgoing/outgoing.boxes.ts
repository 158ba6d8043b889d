import type { Role } from '../../policies/actor.ts';
import type { WorkBox } from './outgoing.repository.ts';

/**
 * The lists of work waiting for someone, which the home page counts (GET /api/outgoing/counts), each with the
 * roles whose list it is. Not a permission: any user may open any list and sees what it holds of what they may
 * see; the web app's navigation and tiles follow this table. No zod here: the web app's home page imports it.
 */
export const OUTGOING_WORK_BOXES = {
  drafts: ['staff', 'unit_head', 'leader'], review: ['staff', 'unit_head', 'leader'], signature: ['leader', 'unit_head'], to_issue: ['clerk'],
} as const satisfies Partial<Record<WorkBox, readonly Role[]>>;
export type OutgoingWorkBox = keyof typeof OUTGOING_WORK_BOXES;

/** The work lists a user's roles give them, in the table's order. */
export const outgoingWorkBoxesOf = (user: { roles: readonly string[] }): OutgoingWorkBox[] =>
  (Object.keys(OUTGOING_WORK_BOXES) as OutgoingWorkBox[]).filter((box) => OUTGOING_WORK_BOXES[box].some((r) => user.roles.includes(r)));
