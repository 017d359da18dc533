import { Agency, DataProblem, isCurrent, validateDirectoryData } from './agency';
import { Directory } from './agency-directory';
import {
  AgencyAlreadyRetiredError,
  AgencyHasCurrentChildrenError,
  AgencyNameTakenError,
  DuplicateAgencyIdError,
  InvalidAgencyError,
  InvalidMergeError,
  UnknownAgencyError,
} from './agency-directory.errors';
import { AgenciesMerged, AgencyAdded, AgencyDirectoryEvent, AgencyRenamed, AgencyRetired, evolve } from './agency-directory.events';
import { matchKey } from './vietnamese';

/*
 * Decisions: each command checks the directory as it is, then returns the event and the directory
 * after it. Pure: no clock (days are inputs), no storage; the service stores the event.
 */

export interface DirectoryChange<E extends AgencyDirectoryEvent = AgencyDirectoryEvent> {
  readonly directory: Directory;
  readonly event: E;
}

export interface AddAgency {
  readonly agency: Agency;
}

export interface RenameAgency {
  readonly agencyId: string;
  readonly newName: string;
  readonly on?: string;
}

/** Sources retire into `into`: an existing current agency's id, or a new agency the merge founds. */
export interface MergeAgencies {
  readonly sourceIds: readonly string[];
  readonly into: string | Agency;
  readonly on: string;
}

export interface RetireAgency {
  readonly agencyId: string;
  readonly on: string;
  readonly mergedInto?: string;
}

function currentAgency(directory: Directory, id: string): Agency {
  const agency = directory.getAgency(id);
  if (agency.retired) throw new AgencyAlreadyRetiredError(id, agency.retired.on);
  return agency;
}

function problemsOf(problems: DataProblem[], id: string): DataProblem[] {
  return problems.filter((problem) => problem.id === id);
}

/** Applies the event, turning any invariant it would break into the domain error callers expect. */
function decided<E extends AgencyDirectoryEvent>(directory: Directory, event: E, blame: string): DirectoryChange<E> {
  const next = evolve(directory.data, event);
  const problems = validateDirectoryData(next);
  if (problems.length > 0) {
    const mine = problemsOf(problems, blame);
    const reasons = (mine.length > 0 ? mine : problems).map((problem) => problem.reason);
    const unknownParent = reasons.find((reason) => reason.startsWith('parent "'));
    if (unknownParent) throw new UnknownAgencyError(unknownParent.split('"')[1]);
    if (reasons.every((reason) => reason.startsWith('name "'))) throw new AgencyNameTakenError(blame, reasons);
    throw new InvalidAgencyError(blame, reasons);
  }
  return { directory: Directory.fromData(next), event };
}

export function addAgency(directory: Directory, { agency }: AddAgency): DirectoryChange<AgencyAdded> {
  if (directory.find(agency.id)) throw new DuplicateAgencyIdError(agency.id);
  if (agency.retired) throw new InvalidAgencyError(agency.id, ['a new agency cannot already be retired']);
  const added: Agency = { ...agency, aliases: [...(agency.aliases ?? [])] };
  return decided(directory, { type: 'AgencyAdded', data: { agency: added } }, agency.id);
}

/** The id stays: plans and assignments keep pointing at the agency. The old name becomes an alias. */
export function renameAgency(directory: Directory, { agencyId, newName, on }: RenameAgency): DirectoryChange<AgencyRenamed> {
  const agency = currentAgency(directory, agencyId);
  const to = newName.trim();
  if (to === '') throw new InvalidAgencyError(agencyId, ['the new name is required']);
  if (matchKey(to) === matchKey(agency.officialName)) throw new InvalidAgencyError(agencyId, [`"${to}" is already its name`]);
  const event: AgencyRenamed = { type: 'AgencyRenamed', data: { agencyId, from: agency.officialName, to, ...(on ? { on } : {}) } };
  return decided(directory, event, agencyId);
}

/**
 * A and B into C: A and B retire with `mergedInto: C`, their names become aliases of C (so plans that
 * name them still resolve, to C), and their units move under C. The 2025 reorganisation did exactly
 * this: Sở Kế hoạch và Đầu tư into Sở Tài chính, Sở Tài nguyên và Môi trường and Sở Nông nghiệp và
 * Phát triển nông thôn into a new Sở Nông nghiệp và Môi trường.
 */
export function mergeAgencies(directory: Directory, { sourceIds, into, on }: MergeAgencies): DirectoryChange<AgenciesMerged> {
  if (sourceIds.length === 0) throw new InvalidMergeError('A merge needs at least one agency to merge');
  if (new Set(sourceIds).size !== sourceIds.length) throw new InvalidMergeError('An agency is listed twice in the merge', { sourceIds });
  const sources = sourceIds.map((id) => currentAgency(directory, id));
  let target: Agency;
  let created: Agency | undefined;
  if (typeof into === 'string') {
    if (sourceIds.includes(into)) throw new InvalidMergeError(`Agency ${into} cannot be merged into itself`, { into });
    target = currentAgency(directory, into);
  } else {
    if (directory.find(into.id)) throw new DuplicateAgencyIdError(into.id);
    if (into.retired) throw new InvalidAgencyError(into.id, ['a new agency cannot already be retired']);
    created = { ...into, aliases: [...(into.aliases ?? [])] };
    target = created;
  }
  const taken = new Set([target.officialName, ...target.aliases].map(matchKey));
  const aliasesAdded: string[] = [];
  for (const name of sources.flatMap((source) => [source.officialName, ...source.aliases])) {
    const key = matchKey(name);
    if (taken.has(key)) continue;
    taken.add(key);
    aliasesAdded.push(name);
  }
  const sourceSet = new Set(sourceIds);
  const reparentedIds = directory.agencies
    .filter((agency) => agency.parentId !== undefined && sourceSet.has(agency.parentId) && isCurrent(agency))
    .map((agency) => agency.id);
  const event: AgenciesMerged = {
    type: 'AgenciesMerged',
    data: { sourceIds: [...sourceIds], intoId: target.id, ...(created ? { created } : {}), on, aliasesAdded, reparentedIds },
  };
  return decided(directory, event, target.id);
}

/**
 * Ends an agency without moving its names (use mergeAgencies for that). Its units must be retired or
 * moved first: a unit of a retired agency would have nobody above it.
 */
export function retireAgency(directory: Directory, { agencyId, on, mergedInto }: RetireAgency): DirectoryChange<AgencyRetired> {
  currentAgency(directory, agencyId);
  if (mergedInto !== undefined) {
    if (mergedInto === agencyId) throw new InvalidMergeError(`Agency ${agencyId} cannot be merged into itself`);
    currentAgency(directory, mergedInto);
  }
  const children = directory.childrenOf(agencyId);
  if (children.length > 0) throw new AgencyHasCurrentChildrenError(agencyId, children.map((child) => child.id));
  const event: AgencyRetired = { type: 'AgencyRetired', data: { agencyId, on, ...(mergedInto ? { mergedInto } : {}) } };
  return decided(directory, event, agencyId);
}

