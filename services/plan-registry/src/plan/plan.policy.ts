import { EventMetadata, PlanContent } from '@thihanh/contracts';
import { ForbiddenError } from '@thihanh/domain';

/**
 * Who may write a plan: operators, and coordinators of the issuing authority — the province's
 * People's Committee (or its office) and the agency the plan makes its coordinator (đầu mối, e.g.
 * the provincial police). Everyone else reads.
 */
export function assertMayEditPlan({ actor }: EventMetadata, content: Pick<PlanContent, 'province' | 'coordinatorAgencyId'>): void {
  const roles = actor.roles ?? [];
  if (roles.includes('operator')) return;
  const authority = [`${content.province}.ubnd-tinh`, `${content.province}.van-phong-ubnd-tinh`, content.coordinatorAgencyId];
  if (roles.includes('coordinator') && authority.includes(actor.agencyId)) return;
  throw new ForbiddenError('PLAN.NOT_ISSUING_AUTHORITY', `Agency ${actor.agencyId} may read this plan but not change it`, {
    agencyId: actor.agencyId,
    allowed: authority.filter(Boolean),
  });
}
