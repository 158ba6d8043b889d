/** The roles of Nghị định 30's actors, as named in code (architecture.md). */
export const ROLES = ['clerk', 'leader', 'unit_head', 'staff', 'archivist', 'admin', 'province_admin'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user a request or job acts for. Every rule in src/policies takes one. */
export type Actor = {
  id: string;
  agencyId: string;
  unitId: string | null;
  username: string;
  fullName: string;
  roles: readonly Role[];
  /** The CLI acting with the database owner's authority (`vanthu admin …`); never a web session. */
  isSystem?: boolean;
};

/** The actor the CLI uses for administration inside one agency. */
export const systemActor = (agencyId: string): Actor => ({
  id: '00000000-0000-0000-0000-000000000000', agencyId, unitId: null, username: 'cli', fullName: 'Dòng lệnh quản trị', roles: ['admin'], isSystem: true,
});

export const hasRole = (actor: Actor, ...roles: Role[]): boolean => roles.some((r) => actor.roles.includes(r));

/** Whether a user's roles meet a table's role list (null: everyone's) — the incoming and outgoing lists' tables. */
export const rolesAllow = (roles: readonly Role[] | null, user: { roles: readonly string[] }): boolean =>
  roles === null || roles.some((r) => user.roles.includes(r));
