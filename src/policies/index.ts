// The one barrel file (house style): loading it declares every rule.
import './orgs.ts';
import './registers.ts';
import './verification.ts';
import './outgoing.ts';
import './incoming.ts';
import './exchange.ts';
import './archive.ts';
import './records.ts';
import './reports.ts';
import './access.ts';

export { allow, authorize, can, policiesFor } from './policy.ts';
export { ROLES, hasRole, type Actor, type Role } from './actor.ts';
