export const ROLES = ['read', 'write', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { read: 1, write: 2, admin: 3 };

/** Roles are ordered: admin can do what write can, write what read can. */
export function roleSatisfies(held: Role, required: Role): boolean {
  return RANK[held] >= RANK[required];
}
