/**
 * What an agency client may do. There is no hierarchy: operator is not "everything", so a route
 * lists every role it accepts. An actor whose only role is auditor can read, never write.
 */
export const ROLES = ['member', 'coordinator', 'auditor', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

export function isReadOnly(roles: readonly Role[]): boolean {
  return roles.length > 0 && roles.every((role) => role === 'auditor');
}

/** Auditors and operators see every plan, case, consultation and round, whoever's it is; others see their own. */
export function seesEverything(actor: { roles?: readonly string[] }): boolean {
  const roles = actor.roles ?? [];
  return roles.includes('auditor') || roles.includes('operator');
}
