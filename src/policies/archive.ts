import { allow } from './policy.ts';
import { hasRole } from './actor.ts';

type AgencyScope = { agencyId: string };

// The protection status of kept files: an agency's administrators and archivists see their agency's;
// the province administrator sees the whole install.
allow('archive.view', (actor, s: AgencyScope) => hasRole(actor, 'province_admin') || (actor.agencyId === s.agencyId && hasRole(actor, 'admin', 'archivist')));
// A pass works over the whole install (and calls the TSA): only the province administrator starts one by hand.
allow('archive.run', (actor) => hasRole(actor, 'province_admin'));
