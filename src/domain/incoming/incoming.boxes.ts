import { rolesAllow, type Role } from '../../policies/actor.ts';
import type { INCOMING_BOXES } from './incoming.schemas.ts';

/** One of the incoming lists (GET /api/incoming?box=…). */
export type IncomingBox = (typeof INCOMING_BOXES)[number];

/**
 * Every incoming list with the roles that have it — null: everyone's (what was given to them; all they may see).
 * A user opens only the lists of their roles (policy incoming.list_box: GET /api/incoming answers another with 403
 * incoming.box_not_allowed) and sees in it what they may see; the web app's tabs are these. No zod here: the web
 * app imports it.
 */
export const INCOMING_BOX_ROLES = {
  intake: ['clerk'], direct: ['leader'], mine: null, unit: ['unit_head'],
  // the unit's parts its head passed on to people of the unit: theirs to handle, the head's to follow
  following: ['unit_head'], all: null,
} as const satisfies Record<IncomingBox, readonly Role[] | null>;

/** The lists of work waiting for the user, which the home page counts (GET /api/incoming/counts), in the tiles' order. */
export const INCOMING_WORK_BOXES = ['intake', 'direct', 'mine', 'unit'] as const satisfies readonly IncomingBox[];
export type IncomingWorkBox = (typeof INCOMING_WORK_BOXES)[number];

/** Whether a user's roles give them a list. */
export const hasIncomingBox = (user: { roles: readonly string[] }, box: IncomingBox): boolean => rolesAllow(INCOMING_BOX_ROLES[box], user);

/** The work lists a user's roles give them, in the table's order. */
export const incomingWorkBoxesOf = (user: { roles: readonly string[] }): IncomingWorkBox[] =>
  INCOMING_WORK_BOXES.filter((box) => hasIncomingBox(user, box));
