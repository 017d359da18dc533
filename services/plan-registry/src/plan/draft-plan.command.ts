import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventMetadata } from '@thihanh/contracts';
import { ID_SOURCE, IdSource } from '@thihanh/domain';
import { AgencyDirectoryService } from '../agency-directory/agency-directory.service';
import { PlanInput, resolveParties } from './plan-parties';
import { Plan } from './plan.aggregate';
import { PlanRepository } from './plan.repository';
import { assertMayEditPlan } from './plan.policy';

export class DraftPlan {
  constructor(
    readonly input: PlanInput,
    readonly metadata: EventMetadata,
    /** Imports keep names the directory does not know (reported), instead of refusing them. */
    readonly source: { kind: 'manual' | 'import'; fileName?: string; sha256?: string } = { kind: 'manual' },
  ) {}
}

@CommandHandler(DraftPlan)
export class DraftPlanHandler implements ICommandHandler<DraftPlan> {
  constructor(
    private readonly plans: PlanRepository,
    private readonly directory: AgencyDirectoryService,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  async execute({ input, metadata, source }: DraftPlan) {
    assertMayEditPlan(metadata, input);
    const content = resolveParties(await this.directory.current(), input, source.kind === 'manual');
    const plan = new Plan(this.ids.next());
    plan.draft(content, source);
    return this.plans.save(plan, metadata);
  }
}
