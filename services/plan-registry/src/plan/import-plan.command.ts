import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Directory } from '@thihanh/agency-directory';
import { EventMetadata, Timeline } from '@thihanh/contracts';
import { ID_SOURCE, IdSource, InvalidInputError } from '@thihanh/domain';
import { AgencyResolver, PlanDocumentError, StandardNamesResolver, firstMatch, parsePlan, planText } from '@thihanh/plan-document';
import { AgencyDirectoryService } from '../agency-directory/agency-directory.service';
import { PartyInput, PlanInput, resolveParties } from './plan-parties';
import { Plan } from './plan.aggregate';
import { PlanRepository } from './plan.repository';
import { assertMayEditPlan } from './plan.policy';

export class ImportPlan {
  constructor(
    readonly fileName: string,
    readonly file: Buffer,
    readonly metadata: EventMetadata,
  ) {}
}

/** The directory first; the standard names of provincial bodies where the directory has no entry. */
function directoryResolver(directory: Directory, province: string): AgencyResolver {
  return {
    resolve(name) {
      const found = directory.resolve(name, province);
      if (found.status === 'matched') return { agencyId: found.type === 'agency' ? found.agency.id : found.group.id, group: found.type === 'group' };
      if (found.status === 'ambiguous') return { ambiguous: found.candidates.map((c) => (c.type === 'agency' ? c.agency.id : c.group.id)) };
      return null;
    },
  };
}

/**
 * A plan document (.txt, .docx) becomes a draft. Nothing is refused for being incomplete: names the
 * directory lacks stay unresolved and every line the parser could not place is returned, for a
 * person to fix before issuing (which demands a complete plan).
 */
@CommandHandler(ImportPlan)
export class ImportPlanHandler implements ICommandHandler<ImportPlan> {
  constructor(
    private readonly plans: PlanRepository,
    private readonly directory: AgencyDirectoryService,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  async execute({ fileName, file, metadata }: ImportPlan) {
    const directory = await this.directory.current();
    let text: string;
    try {
      text = planText(fileName, file);
    } catch (error) {
      if (error instanceof PlanDocumentError) throw new InvalidInputError(error.code, error.message, { fileName });
      throw error;
    }
    const parsed = parsePlan(text, {
      resolverFor: (province) =>
        province ? firstMatch(directoryResolver(directory, province), new StandardNamesResolver(province)) : new StandardNamesResolver(province),
    });
    if (!parsed.province) {
      throw new InvalidInputError('PLAN.PROVINCE_UNKNOWN', 'The document does not say which province issues it ("tỉnh …")', { fileName });
    }
    const party = (p: { name: string; agencyId: string | null }): PartyInput => (p.agencyId ? { name: p.name, agencyId: p.agencyId } : { name: p.name });
    const input: PlanInput = {
      province: parsed.province,
      number: parsed.number,
      title: parsed.title,
      issuer: parsed.issuer,
      place: parsed.place,
      issuedOn: parsed.issuedOn,
      legalBasis: parsed.legalBasis.map((b) => ({ text: b.text, documentNumber: b.documentNumber })),
      purpose: parsed.purpose,
      requirements: parsed.requirements,
      funding: parsed.funding,
      reporting: parsed.reporting.map((r) => ({ frequency: r.frequency, dueMonthDay: r.dueMonthDay, recipient: r.recipient, recipientAgencyId: r.recipientAgencyId })),
      recipients: parsed.recipients,
      signer: parsed.signer,
      coordinatorAgencyId: parsed.coordinatorAgencyId,
      tasks: parsed.tasks.map((t) => ({
        number: t.number,
        parent: t.parent,
        title: t.title,
        content: t.content,
        lead: t.lead.map(party),
        implementers: t.implementers.map(party),
        coordinators: t.coordinators.map(party),
        timeline: t.timeline as Timeline | null,
        deliverables: t.deliverables,
        legalRefs: t.legalRefs,
      })),
    };
    assertMayEditPlan(metadata, input);
    const plan = new Plan(this.ids.next());
    plan.draft(resolveParties(directory, input, false), {
      kind: 'import',
      fileName,
      sha256: createHash('sha256').update(file).digest('hex'),
    });
    const saved = await this.plans.save(plan, metadata);
    return { ...saved, unparsed: parsed.unparsed, problems: parsed.problems };
  }
}
