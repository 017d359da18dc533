import { matchKey, slugify } from './vietnamese';

export const AGENCY_KINDS = [
  'provincial-people-committee',
  'provincial-police',
  'military-command',
  'department',
  'provincial-agency',
  'public-service-unit',
  'media',
  'commune',
  'ward',
  'ministry',
  'central-agency',
  'other',
] as const;

export type AgencyKind = (typeof AGENCY_KINDS)[number];

/** A province slug (`son-la`, `bac-ninh`, …) or `national` for the central government. */
export type ProvinceId = 'son-la' | 'bac-ninh' | 'national' | (string & {});

export const NATIONAL: ProvinceId = 'national';

export interface Province {
  readonly id: ProvinceId;
  /** As written after "tỉnh" in documents: "Sơn La", "Bắc Ninh". Stripped from names when resolving. */
  readonly name: string;
}

export interface FocalPoint {
  readonly name: string;
  readonly title?: string;
  readonly phone?: string;
  readonly email?: string;
}

export interface Retirement {
  /** Day the agency ceased, `YYYY-MM-DD`. */
  readonly on: string;
  /** The agency that took over its duties, if any. */
  readonly mergedInto?: string;
}

export interface Agency {
  /** `<province>.<slug of the short name without the province>`, e.g. `son-la.so-tu-phap`. Never changes. */
  readonly id: string;
  readonly officialName: string;
  /** Short and former names: "Sở VHTTDL", "Công an tỉnh", "Sở Kế hoạch và Đầu tư". */
  readonly aliases: readonly string[];
  readonly kind: AgencyKind;
  readonly province: ProvinceId;
  readonly parentId?: string;
  readonly focalPoint?: FocalPoint;
  readonly retired?: Retirement;
}

/**
 * Who belongs to a group: a fixed list, or a rule over the agencies of the group's province, so
 * that a group always expands to the agencies current on the day (a new ward joins "UBND các xã,
 * phường" the day it is added).
 */
export type GroupMembers =
  | { readonly agencyIds: readonly string[] }
  | { readonly rule: MembershipRule };

export interface MembershipRule {
  readonly kinds: readonly AgencyKind[];
  /** Only agencies directly under this one. */
  readonly parentId?: string;
  /** Agencies the group's wording leaves out ("… khác" = other than the one already named). */
  readonly except?: readonly string[];
}

export interface AgencyGroup {
  /** `<province>.group.<slug>`, e.g. `son-la.group.cac-so-ban-nganh`. */
  readonly id: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly province: ProvinceId;
  readonly members: GroupMembers;
  /** Why the membership is what it is, for operators reading the directory. */
  readonly note?: string;
}

export interface DirectoryData {
  readonly provinces: readonly Province[];
  readonly agencies: readonly Agency[];
  readonly groups: readonly AgencyGroup[];
}

export const EMPTY_DIRECTORY_DATA: DirectoryData = { provinces: [], agencies: [], groups: [] };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+][0-9 .()-]*$/;

export function agencyId(province: ProvinceId, shortName: string): string {
  return `${province}.${slugify(shortName)}`;
}

export function groupId(province: ProvinceId, shortName: string): string {
  return `${province}.group.${slugify(shortName)}`;
}

export function isCurrent(agency: Agency): boolean {
  return agency.retired === undefined;
}

export function isRuleMembership(members: GroupMembers): members is { readonly rule: MembershipRule } {
  return 'rule' in members;
}

function isValidDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Removes a trailing province name: "Công an tỉnh Sơn La" → "Công an tỉnh". Works on match keys. */
export function stripProvinceKey(key: string, provinceKey: string): string | undefined {
  if (!provinceKey || key === provinceKey || !key.endsWith(` ${provinceKey}`)) return undefined;
  return key.slice(0, key.length - provinceKey.length - 1);
}

const TINH = matchKey('tỉnh');

/**
 * Every key a name is found by: as written, and without its province's name ("Công an tỉnh Sơn La"
 * → "Công an tỉnh"). Departments are also found without "tỉnh" ("Sở Tư pháp tỉnh Sơn La" →
 * "Sở Tư pháp"); for other agencies "tỉnh" is part of the short name.
 */
export function nameKeys(name: string, provinceName: string | undefined, kind?: AgencyKind): string[] {
  const key = matchKey(name);
  const keys = [key];
  const stripped = provinceName ? stripProvinceKey(key, matchKey(provinceName)) : undefined;
  if (stripped) keys.push(stripped);
  if (stripped && kind === 'department' && stripped.endsWith(` ${TINH}`)) keys.push(stripped.slice(0, -TINH.length - 1));
  return keys;
}

export function namesOf(entry: Agency | AgencyGroup): string[] {
  return 'officialName' in entry ? [entry.officialName, ...entry.aliases] : [entry.name, ...entry.aliases];
}

/** Where a problem is: the index of the agency or group in the data given. */
export type DataRef = { readonly agencyIndex: number } | { readonly groupIndex: number } | { readonly provinceIndex: number };

export interface DataProblem {
  readonly at: DataRef;
  readonly id?: string;
  readonly reason: string;
}

function checkName(value: unknown, field: string, reasons: string[]): void {
  if (typeof value !== 'string' || value.trim() === '') reasons.push(`${field} is required`);
  else if (/[\r\n]/.test(value)) reasons.push(`${field} must be on one line`);
}

function checkAliases(aliases: unknown, reasons: string[]): void {
  if (!Array.isArray(aliases)) {
    reasons.push('aliases must be a list');
    return;
  }
  for (const alias of aliases) {
    if (typeof alias !== 'string' || alias.trim() === '') reasons.push('an alias is empty');
    // The CSV format separates aliases with "|".
    else if (alias.includes('|')) reasons.push(`alias "${alias}" must not contain "|"`);
    else if (/[\r\n]/.test(alias)) reasons.push(`alias "${alias}" must be on one line`);
  }
}

function checkFocalPoint(focalPoint: FocalPoint | undefined, reasons: string[]): void {
  if (focalPoint === undefined) return;
  if (typeof focalPoint.name !== 'string' || focalPoint.name.trim() === '') reasons.push('focal point name is required when a focal point is given');
  if (focalPoint.email !== undefined && !EMAIL.test(focalPoint.email)) reasons.push(`focal point email "${focalPoint.email}" is not an email address`);
  if (focalPoint.phone !== undefined && !PHONE.test(focalPoint.phone)) reasons.push(`focal point phone "${focalPoint.phone}" is not a phone number`);
}

function checkAgencyShape(agency: Agency, reasons: string[]): void {
  const province = String(agency.province ?? '');
  if (!SLUG.test(province)) reasons.push(`province "${province}" is not a slug like "son-la"`);
  const id = String(agency.id ?? '');
  const [prefix, ...rest] = id.split('.');
  if (rest.length === 0 || !rest.every((part) => SLUG.test(part))) reasons.push(`id "${id}" is not of the form <province>.<slug>`);
  else if (prefix !== province) reasons.push(`id "${id}" must start with its province "${province}."`);
  else if (rest[0] === 'group') reasons.push(`id "${id}" is a group id; agencies use <province>.<slug>`);
  checkName(agency.officialName, 'official name', reasons);
  checkAliases(agency.aliases, reasons);
  if (!(AGENCY_KINDS as readonly string[]).includes(agency.kind)) reasons.push(`kind "${agency.kind}" is not one of ${AGENCY_KINDS.join(', ')}`);
  if (agency.parentId === agency.id) reasons.push('an agency cannot be its own parent');
  checkFocalPoint(agency.focalPoint, reasons);
  if (agency.retired !== undefined) {
    if (!isValidDay(String(agency.retired.on ?? ''))) reasons.push(`retirement day "${agency.retired.on}" is not a day YYYY-MM-DD`);
    if (agency.retired.mergedInto === agency.id) reasons.push('an agency cannot be merged into itself');
  }
}

function checkGroupShape(group: AgencyGroup, reasons: string[]): void {
  const province = String(group.province ?? '');
  if (!SLUG.test(province)) reasons.push(`province "${province}" is not a slug like "son-la"`);
  const id = String(group.id ?? '');
  const parts = id.split('.');
  if (parts.length !== 3 || parts[0] !== province || parts[1] !== 'group' || !SLUG.test(parts[2])) {
    reasons.push(`group id "${id}" is not of the form ${province}.group.<slug>`);
  }
  checkName(group.name, 'group name', reasons);
  checkAliases(group.aliases, reasons);
  const members = group.members as GroupMembers | undefined;
  if (!members || (!('rule' in members) && !('agencyIds' in members))) {
    reasons.push('members must be a list of agency ids or a rule');
  } else if (isRuleMembership(members)) {
    if (!Array.isArray(members.rule.kinds) || members.rule.kinds.length === 0) reasons.push('a membership rule needs at least one kind');
    for (const kind of members.rule.kinds ?? []) {
      if (!(AGENCY_KINDS as readonly string[]).includes(kind)) reasons.push(`rule kind "${kind}" is not an agency kind`);
    }
  } else if (!Array.isArray(members.agencyIds)) {
    reasons.push('members.agencyIds must be a list');
  }
}

/**
 * The directory's invariants, checked over the whole data set: well-formed ids unique across agencies
 * and groups, references that point somewhere, and no two current agencies or groups of one province
 * answering to the same name (otherwise resolving that name could only be a guess). A problem is
 * reported on the later of two clashing entries, so an import blames its own rows.
 */
export function validateDirectoryData(data: DirectoryData): DataProblem[] {
  const problems: DataProblem[] = [];
  const report = (at: DataRef, id: string | undefined, reason: string) => problems.push({ at, id, reason });

  const provinceNames = new Map<string, string>();
  data.provinces.forEach((province, provinceIndex) => {
    if (!SLUG.test(String(province.id ?? ''))) report({ provinceIndex }, province.id, `province id "${province.id}" is not a slug`);
    else if (provinceNames.has(province.id)) report({ provinceIndex }, province.id, `province "${province.id}" is listed twice`);
    else if (typeof province.name !== 'string' || province.name.trim() === '') report({ provinceIndex }, province.id, 'province name is required');
    else provinceNames.set(province.id, province.name);
  });

  const agencyById = new Map<string, Agency>();
  const seenIds = new Set<string>();
  data.agencies.forEach((agency, agencyIndex) => {
    const reasons: string[] = [];
    checkAgencyShape(agency, reasons);
    if (seenIds.has(agency.id)) reasons.push(`id "${agency.id}" is used more than once`);
    seenIds.add(agency.id);
    if (!agencyById.has(agency.id)) agencyById.set(agency.id, agency);
    for (const reason of reasons) report({ agencyIndex }, agency.id, reason);
  });

  data.agencies.forEach((agency, agencyIndex) => {
    if (agency.parentId !== undefined && agency.parentId !== agency.id && !agencyById.has(agency.parentId)) {
      report({ agencyIndex }, agency.id, `parent "${agency.parentId}" is not in the directory`);
    }
    const mergedInto = agency.retired?.mergedInto;
    if (mergedInto !== undefined && mergedInto !== agency.id && !agencyById.has(mergedInto)) {
      report({ agencyIndex }, agency.id, `merged into "${mergedInto}", which is not in the directory`);
    }
    // A parent chain that loops would make "under this agency" meaningless.
    const seen = new Set([agency.id]);
    let parent = agency.parentId ? agencyById.get(agency.parentId) : undefined;
    while (parent) {
      if (seen.has(parent.id)) {
        report({ agencyIndex }, agency.id, 'its parents form a loop');
        break;
      }
      seen.add(parent.id);
      parent = parent.parentId ? agencyById.get(parent.parentId) : undefined;
    }
  });

  data.groups.forEach((group, groupIndex) => {
    const reasons: string[] = [];
    checkGroupShape(group, reasons);
    if (seenIds.has(group.id)) reasons.push(`id "${group.id}" is used more than once`);
    seenIds.add(group.id);
    const members = group.members as GroupMembers | undefined;
    const referenced = !members
      ? []
      : isRuleMembership(members)
        ? [...(members.rule.parentId ? [members.rule.parentId] : []), ...(members.rule.except ?? [])]
        : Array.isArray(members.agencyIds) ? members.agencyIds : [];
    for (const id of referenced) {
      if (!agencyById.has(id)) reasons.push(`member "${id}" is not in the directory`);
    }
    for (const reason of reasons) report({ groupIndex }, group.id, reason);
  });

  // Names: one owner per key and province among current agencies and groups.
  const owners = new Map<string, string>();
  const claim = (at: DataRef, id: string, province: string, names: readonly unknown[], kind?: AgencyKind) => {
    const mine = new Set<string>();
    for (const name of names) {
      if (typeof name !== 'string' || name.trim() === '') continue;
      for (const key of nameKeys(name, province === NATIONAL ? undefined : provinceNames.get(province), kind)) {
        if (key === '' || mine.has(key)) continue;
        mine.add(key);
        const slot = `${province}\u0000${key}`;
        const owner = owners.get(slot);
        if (owner === undefined) owners.set(slot, id);
        else if (owner !== id) report(at, id, `name "${name}" is already used by ${owner}`);
      }
    }
  };
  data.agencies.forEach((agency, agencyIndex) => {
    if (isCurrent(agency) && Array.isArray(agency.aliases)) claim({ agencyIndex }, agency.id, agency.province, [agency.officialName, ...agency.aliases], agency.kind);
  });
  data.groups.forEach((group, groupIndex) => {
    if (Array.isArray(group.aliases)) claim({ groupIndex }, group.id, group.province, [group.name, ...group.aliases]);
  });

  return problems;
}
