import { allow } from './policy.ts';
import { hasRole } from './actor.ts';

// The trust store is install-wide (one province): only the province administrator manages it.
allow('trust.manage', (actor) => hasRole(actor, 'province_admin'));
