import { allow } from './policy.ts';
import { hasRole } from './actor.ts';
import type { AgencyScoped } from './orgs.ts';

// Registers are kept by the clerk; leaders, unit heads and archivists read them; admins configure them.
allow('register.view', (actor, r: AgencyScoped) =>
  r.agencyId === actor.agencyId && hasRole(actor, 'clerk', 'leader', 'unit_head', 'archivist', 'admin'));
allow('register.manage', (actor, r: AgencyScoped) => r.agencyId === actor.agencyId && hasRole(actor, 'admin'));
