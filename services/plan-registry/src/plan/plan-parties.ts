import { Directory } from '@thihanh/agency-directory';
import { Party, PlanContent, PlanTask } from '@thihanh/contracts';
import { InvalidInputError } from '@thihanh/domain';

/** A party as a client sends it: an id from the directory, or a name to look up. */
export interface PartyInput {
  name?: string;
  agencyId?: string;
}

export type TaskInput = Omit<PlanTask, 'lead' | 'implementers' | 'coordinators'> & {
  lead: PartyInput[];
  implementers: PartyInput[];
  coordinators: PartyInput[];
};

export type PlanInput = Omit<PlanContent, 'tasks'> & { tasks: TaskInput[] };

/**
 * Turns names and ids into parties the directory knows. `strict` (API edits): an unknown or
 * ambiguous name is a 400 naming every one of them. Not strict (imports): they stay unresolved, for
 * a person to fix before the plan can be issued.
 */
export function resolveParties(directory: Directory, input: PlanInput, strict: boolean): PlanContent {
  const problems: { task: string; name: string; reason: string; candidates?: string[] }[] = [];
  const resolve = (task: string, party: PartyInput): Party => {
    if (party.agencyId) {
      const entry = directory.find(party.agencyId);
      if (!entry) {
        problems.push({ task, name: party.agencyId, reason: 'unknown id' });
        return { name: party.name ?? party.agencyId, agencyId: null, group: false };
      }
      const name = entry.type === 'agency' ? entry.agency.officialName : entry.group.name;
      return { name: party.name ?? name, agencyId: party.agencyId, group: entry.type === 'group' };
    }
    const name = (party.name ?? '').normalize('NFC').trim();
    const found = directory.resolve(name, input.province);
    if (found.status === 'matched') {
      return found.type === 'agency'
        ? { name, agencyId: found.agency.id, group: false }
        : { name, agencyId: found.group.id, group: true };
    }
    problems.push({
      task,
      name,
      reason: found.status,
      ...(found.status === 'ambiguous' ? { candidates: found.candidates.map((c) => (c.type === 'agency' ? c.agency.id : c.group.id)) } : {}),
    });
    return { name, agencyId: null, group: false };
  };
  const content: PlanContent = {
    ...input,
    tasks: input.tasks.map((t) => ({
      ...t,
      lead: t.lead.map((p) => resolve(t.number, p)),
      implementers: t.implementers.map((p) => resolve(t.number, p)),
      coordinators: t.coordinators.map((p) => resolve(t.number, p)),
    })),
  };
  if (strict && problems.length) {
    throw new InvalidInputError('AGENCY.UNKNOWN', `Agencies the directory does not know: ${problems.map((p) => p.name).join('; ')}`, {
      problems,
    });
  }
  return content;
}

/** Groups carry their members as of now, so consumers need not call back (PlanIssued, PlanAmended). */
export function expandGroups(directory: Directory, content: PlanContent): PlanContent {
  const expand = (p: Party): Party => (p.group && p.agencyId ? { ...p, members: directory.expand(p.agencyId).map((a) => a.id) } : p);
  return {
    ...content,
    tasks: content.tasks.map((t) => ({ ...t, lead: t.lead.map(expand), implementers: t.implementers.map(expand), coordinators: t.coordinators.map(expand) })),
  };
}
