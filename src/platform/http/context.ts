import type { Kysely } from 'kysely';
import type { DB } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { AppDeps } from '../deps.ts';
import type { Actor } from '../../policies/actor.ts';

export type { AppDeps };

/** The session behind the request's cookie, once authenticated. */
export type SessionInfo = { id: string; csrfToken: string; expiresAt: Date };

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    db: Kysely<DB>;
    logger: Logger;
    requestId: string;
    ip: string;
    actor: Actor | null;
    session: SessionInfo | null;
  };
};
