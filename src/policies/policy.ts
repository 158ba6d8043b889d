import { AppError } from '../platform/errors.ts';
import type { Actor } from './actor.ts';

type Rule = (actor: Actor, subject: never) => boolean;
const rules = new Map<string, Rule>();

/** Declares the rule for one action. Each policies/<domain>.ts file calls this at load time. */
export function allow<S>(action: string, rule: (actor: Actor, subject: S) => boolean): void {
  if (rules.has(action)) throw new Error(`policy ${action} declared twice`);
  rules.set(action, rule as Rule);
}

/** Whether the actor may do `action` on `subject` (for UI hints and filtering). */
export function can<S>(actor: Actor | null | undefined, action: string, subject: S): boolean {
  if (!actor) return false;
  const rule = rules.get(action);
  if (!rule) throw new Error(`no policy for ${action}`);
  if (actor.isSystem) return true;
  return (rule as (a: Actor, s: S) => boolean)(actor, subject);
}

/** Throws `forbidden` (403) unless the actor may do `action` on `subject`. */
export function authorize<S>(actor: Actor | null | undefined, action: string, subject: S): asserts actor is Actor {
  if (!can(actor, action, subject)) {
    throw new AppError('forbidden', 403, 'Bạn không có quyền thực hiện thao tác này.', { action });
  }
}

/** The actions from `actions` the actor may do on `subject`, for the `can` block of responses. */
export function policiesFor<S>(actor: Actor, subject: S, actions: readonly string[]): Record<string, boolean> {
  return Object.fromEntries(actions.map((a) => [a, can(actor, a, subject)]));
}
