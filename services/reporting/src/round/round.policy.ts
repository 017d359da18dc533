/**
 * Who runs a plan's reporting — asks for reports, accepts or returns them, issues the province's
 * report: operators, and coordinators of the plan's coordinating agency (đầu mối, e.g. the provincial police).
 */
export function coordinatesReporting(actor: { agencyId: string; roles?: readonly string[] }, coordinatorAgencyId: string | null | undefined): boolean {
  const roles = actor.roles ?? [];
  return roles.includes('operator') || (roles.includes('coordinator') && actor.agencyId === coordinatorAgencyId);
}
