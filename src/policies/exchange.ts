import { allow } from './policy.ts';
import { hasRole } from './actor.ts';
import type { AgencyScoped } from './orgs.ts';

// The axis endpoint and credentials of an agency: its admin only (the secret signs every package).
allow('exchange.configure', (actor, r: AgencyScoped) => r.agencyId === actor.agencyId && hasRole(actor, 'admin'));
// The outbox (with send errors), refused packages and the directory: the clerk who dispatches, leaders, admins.
allow('exchange.view', (actor, r: AgencyScoped) => r.agencyId === actor.agencyId && hasRole(actor, 'clerk', 'leader', 'admin'));
// Retrying a failed package, answering a recall/update (15/16), sending an update: the clerk's work (ND 30 Art. 18, 21).
allow('exchange.operate', (actor, r: AgencyScoped) => r.agencyId === actor.agencyId && hasRole(actor, 'clerk'));

export const EXCHANGE_ACTIONS = ['exchange.configure', 'exchange.view', 'exchange.operate'] as const;
