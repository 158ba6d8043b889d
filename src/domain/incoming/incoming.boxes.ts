import type { Role } from '../../policies/actor.ts';
import type { INCOMING_BOXES } from './incoming.schemas.ts';

/**
 * The lists of work waiting for someone, which the home page counts (GET /api/incoming/counts), each with the
 * roles whose list it is — null: everyone's (what was given to them). Not a permission: any user may open any
 * list and sees what it holds of what they may see; the web app's tabs and tiles follow this table. No zod here:
 * the web app's home page imports it.
 */
export const INCOMING_WORK_BOXES = { intake: ['clerk'], direct: ['leader'], mine: null, unit: ['unit_head'] } as const satisfies
  Partial<Record<(typeof INCOMING_BOXES)[number], readonly Role[] | null>>;
export type IncomingWorkBox = keyof typeof INCOMING_WORK_BOXES;

/** The work lists a user's roles give them, in the table's order. */
export const incomingWorkBoxesOf = (user: { roles: readonly string[] }): IncomingWorkBox[] =>
  (Object.keys(INCOMING_WORK_BOXES) as IncomingWorkBox[]).filter((box) => INCOMING_WORK_BOXES[box]?.some((r) => user.roles.includes(r)) ?? true);
