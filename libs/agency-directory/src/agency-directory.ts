import {
  Agency,
  AgencyGroup,
  DirectoryData,
  EMPTY_DIRECTORY_DATA,
  NATIONAL,
  ProvinceId,
  isCurrent,
  isRuleMembership,
  nameKeys,
  namesOf,
  stripProvinceKey,
  validateDirectoryData,
} from './agency';
import { InvalidDirectoryDataError, UnknownAgencyError, UnknownAgencyGroupError } from './agency-directory.errors';
import { AgencyDirectoryEvent, evolve } from './agency-directory.events';
import { matchKey, searchKey } from './vietnamese';

export type DirectoryEntry = { readonly type: 'agency'; readonly agency: Agency } | { readonly type: 'group'; readonly group: AgencyGroup };

/** An entry with the name (official name or alias, as stored) that the text matched. */
export type NamedEntry = DirectoryEntry & { readonly matchedName: string };

export type Resolution =
  | ({ readonly status: 'matched' } & NamedEntry)
  | { readonly status: 'ambiguous'; readonly candidates: readonly NamedEntry[] }
  /** `retired`: agencies that bore this name but are retired without a successor taking the name. */
  | { readonly status: 'unknown'; readonly retired?: readonly Agency[] };

export interface SearchOptions {
  readonly province?: ProvinceId;
  readonly includeRetired?: boolean;
  readonly limit?: number;
}

export interface ProvinceCounts {
  readonly province: ProvinceId;
  readonly agencies: number;
  readonly groups: number;
  readonly communes: number;
  readonly wards: number;
  readonly retired: number;
}

interface Indexed {
  readonly entry: DirectoryEntry;
  readonly name: string;
  /** The key is the name's own, not derived by dropping the province: report this name first. */
  readonly exact: boolean;
}

const TINH = matchKey('tỉnh');
// Heads act for their agency: "Thủ trưởng các đơn vị …", "Người đứng đầu các sở, ban, ngành …".
const HEAD_PREFIXES = ['người đứng đầu', 'thủ trưởng'].map(matchKey);

function entryId(entry: DirectoryEntry): string {
  return entry.type === 'agency' ? entry.agency.id : entry.group.id;
}

function scopesFor(province: ProvinceId): ProvinceId[] {
  return province === NATIONAL ? [NATIONAL] : [province, NATIONAL];
}

/**
 * The agency directory as an immutable value: built from data, queried in memory, changed only by
 * applying events (see agency-directory.aggregate.ts), which returns a new directory.
 */
export class Directory {
  private readonly agencyById = new Map<string, Agency>();
  private readonly groupById = new Map<string, AgencyGroup>();
  private readonly provinceKeys = new Map<ProvinceId, string>();
  /** scope → match key → current agencies and groups answering to it. */
  private readonly names = new Map<ProvinceId, Map<string, Indexed[]>>();
  private readonly retiredNames = new Map<ProvinceId, Map<string, Agency[]>>();
  private readonly searchable: { entry: DirectoryEntry; names: { name: string; key: string }[] }[] = [];

  private constructor(readonly data: DirectoryData) {
    for (const province of data.provinces) this.provinceKeys.set(province.id, matchKey(province.name));
    for (const agency of data.agencies) this.agencyById.set(agency.id, agency);
    for (const group of data.groups) this.groupById.set(group.id, group);
    const entries: DirectoryEntry[] = [
      ...data.agencies.map((agency): DirectoryEntry => ({ type: 'agency', agency })),
      ...data.groups.map((group): DirectoryEntry => ({ type: 'group', group })),
    ];
    for (const entry of entries) {
      const item = entry.type === 'agency' ? entry.agency : entry.group;
      const provinceName = item.province === NATIONAL ? undefined : this.provinceName(item.province);
      const retired = entry.type === 'agency' && !isCurrent(entry.agency);
      const kind = entry.type === 'agency' ? entry.agency.kind : undefined;
      for (const name of namesOf(item)) {
        nameKeys(name, provinceName, kind).forEach((key, index) => {
          if (retired) push(this.retiredNames, item.province, key, (entry as { agency: Agency }).agency);
          else push(this.names, item.province, key, { entry, name, exact: index === 0 });
        });
      }
      this.searchable.push({ entry, names: namesOf(item).map((name) => ({ name, key: searchKey(name) })) });
    }
  }

  static empty(): Directory {
    return new Directory(EMPTY_DIRECTORY_DATA);
  }

  /** Checks every invariant; throws InvalidDirectoryDataError listing all problems. */
  static fromData(data: DirectoryData): Directory {
    const problems = validateDirectoryData(data);
    if (problems.length > 0) throw new InvalidDirectoryDataError(problems);
    return new Directory(data);
  }

  /** Rebuilds a directory from its starting data and the events recorded since. */
  static replay(start: DirectoryData, events: Iterable<AgencyDirectoryEvent>): Directory {
    let data = start;
    for (const event of events) data = evolve(data, event);
    return Directory.fromData(data);
  }

  /** The directory after the event. Decisions check events first; this re-checks the invariants. */
  apply(event: AgencyDirectoryEvent): Directory {
    return Directory.fromData(evolve(this.data, event));
  }

  get agencies(): readonly Agency[] {
    return this.data.agencies;
  }

  get groups(): readonly AgencyGroup[] {
    return this.data.groups;
  }

  provinceName(province: ProvinceId): string | undefined {
    return this.data.provinces.find((p) => p.id === province)?.name;
  }

  agency(id: string): Agency | undefined {
    return this.agencyById.get(id);
  }

  group(id: string): AgencyGroup | undefined {
    return this.groupById.get(id);
  }

  find(id: string): DirectoryEntry | undefined {
    const agency = this.agencyById.get(id);
    if (agency) return { type: 'agency', agency };
    const group = this.groupById.get(id);
    return group ? { type: 'group', group } : undefined;
  }

  getAgency(id: string): Agency {
    const agency = this.agencyById.get(id);
    if (!agency) throw new UnknownAgencyError(id);
    return agency;
  }

  getGroup(id: string): AgencyGroup {
    const group = this.groupById.get(id);
    if (!group) throw new UnknownAgencyGroupError(id);
    return group;
  }

  /** Current agencies directly under `parentId`. */
  childrenOf(parentId: string): Agency[] {
    return this.data.agencies.filter((agency) => agency.parentId === parentId && isCurrent(agency));
  }

  /** Follows `mergedInto` to the agency doing the work today, if any. */
  successorOf(id: string): Agency | undefined {
    const seen = new Set<string>();
    let agency = this.agencyById.get(id);
    while (agency && !isCurrent(agency)) {
      if (seen.has(agency.id) || !agency.retired?.mergedInto) return undefined;
      seen.add(agency.id);
      agency = this.agencyById.get(agency.retired.mergedInto);
    }
    return agency;
  }

  /**
   * The agency or group a plan means by `name`, looked up in `province` and among national bodies.
   * Tries, in order, the name as written, without a trailing province name ("Công an tỉnh Sơn La";
   * a different province's name switches the lookup to that province), without a trailing "tỉnh"
   * after it ("Sở Tư pháp tỉnh Sơn La"), without a distribution note ("VP UBND tỉnh: CVP, TH"), and
   * without a leading "Thủ trưởng"/"Người đứng đầu". The first form that matches anything decides:
   * one entry is a match, several are reported as ambiguous, never picked between.
   */
  resolve(name: string, province: ProvinceId): Resolution {
    const key = matchKey(name);
    if (key === '') return { status: 'unknown' };
    const forms = this.formsOf(key, province);
    for (const form of forms) {
      const found = dedupe(scopesFor(form.province).flatMap((scope) => this.names.get(scope)?.get(form.key) ?? []));
      if (found.length === 1) return { status: 'matched', ...found[0].entry, matchedName: found[0].name };
      if (found.length > 1) return { status: 'ambiguous', candidates: found.map(({ entry, name: matchedName }) => ({ ...entry, matchedName })) };
    }
    const retired = new Map<string, Agency>();
    for (const form of forms) {
      for (const scope of scopesFor(form.province)) {
        for (const agency of this.retiredNames.get(scope)?.get(form.key) ?? []) retired.set(agency.id, agency);
      }
    }
    return retired.size > 0 ? { status: 'unknown', retired: [...retired.values()] } : { status: 'unknown' };
  }

  /**
   * Resolves a list as plans write one: "Sở Tư pháp; Sở Văn hóa, Thể thao và Du lịch; Ủy ban nhân dân
   * các xã, phường và các cơ quan báo chí …". Names hold commas and "và" themselves, so the list is cut
   * at every ";", "," and "và" and, from left to right, the longest run of pieces that names something
   * is taken. Pieces that name nothing are returned together as one unknown item, never dropped.
   */
  resolveList(text: string, province: ProvinceId): { text: string; resolution: Resolution }[] {
    const parts = text.normalize('NFC').split(/(;|,|\s+và\s+)/u);
    const segments = Math.ceil(parts.length / 2);
    const span = (from: number, to: number) => parts.slice(2 * from, 2 * to + 1).join('').trim();
    const items: { text: string; resolution: Resolution }[] = [];
    let unknownFrom: number | undefined;
    const flushUnknown = (to: number) => {
      if (unknownFrom === undefined) return;
      const rest = span(unknownFrom, to);
      if (matchKey(rest) !== '') items.push({ text: rest, resolution: this.resolve(rest, province) });
      unknownFrom = undefined;
    };
    let i = 0;
    while (i < segments) {
      let taken = false;
      for (let j = segments - 1; j >= i; j -= 1) {
        const candidate = span(i, j);
        const resolution = this.resolve(candidate, province);
        if (resolution.status === 'unknown') continue;
        flushUnknown(i - 1);
        items.push({ text: candidate, resolution });
        i = j + 1;
        taken = true;
        break;
      }
      if (!taken) {
        unknownFrom ??= i;
        i += 1;
      }
    }
    flushUnknown(segments - 1);
    return items;
  }

  private formsOf(key: string, province: ProvinceId): { key: string; province: ProvinceId }[] {
    const forms: { key: string; province: ProvinceId }[] = [];
    const add = (k: string, p: ProvinceId) => {
      if (k !== '' && !forms.some((f) => f.key === k && f.province === p)) forms.push({ key: k, province: p });
    };
    const withoutProvince = (k: string) => {
      add(k, province);
      for (const [id, provinceKey] of this.provinceKeys) {
        const stripped = id === NATIONAL ? undefined : stripProvinceKey(k, provinceKey);
        if (stripped === undefined) continue;
        add(stripped, id);
        if (stripped.endsWith(` ${TINH}`)) add(stripped.slice(0, -TINH.length - 1), id);
      }
      if (k.endsWith(` ${TINH}`)) add(k.slice(0, -TINH.length - 1), province);
    };
    withoutProvince(key);
    const colon = key.indexOf(' : ');
    if (colon > 0) withoutProvince(key.slice(0, colon));
    for (const prefix of HEAD_PREFIXES) {
      if (key.startsWith(`${prefix} `)) withoutProvince(key.slice(prefix.length + 1));
    }
    return forms;
  }

  /**
   * The agencies a group stands for today. Rule groups take the current agencies of the group's
   * province that fit the rule. Listed members that were merged away are replaced by the agency that
   * took over their duties; members retired without a successor drop out.
   */
  expand(groupId: string): Agency[] {
    const group = this.getGroup(groupId);
    const members = group.members;
    if (isRuleMembership(members)) {
      const { kinds, parentId, except = [] } = members.rule;
      return this.data.agencies.filter(
        (agency) =>
          agency.province === group.province &&
          isCurrent(agency) &&
          kinds.includes(agency.kind) &&
          (parentId === undefined || agency.parentId === parentId) &&
          !except.includes(agency.id),
      );
    }
    const result = new Map<string, Agency>();
    for (const id of members.agencyIds) {
      const current = this.successorOf(id);
      if (current) result.set(current.id, current);
    }
    return [...result.values()];
  }

  /**
   * Agencies and groups whose name or alias contains the query's words, ignoring diacritics and case
   * ("son la" finds "Công an tỉnh Sơn La"). Best first: exact name, name starting with the query,
   * the query as a phrase, then all words present as word starts.
   */
  search(query: string, options: SearchOptions = {}): NamedEntry[] {
    const q = searchKey(query);
    if (q === '') return [];
    const words = q.split(' ');
    const hits: { entry: NamedEntry; rank: number }[] = [];
    for (const { entry, names } of this.searchable) {
      const item = entry.type === 'agency' ? entry.agency : entry.group;
      if (options.province !== undefined && item.province !== options.province) continue;
      if (entry.type === 'agency' && !isCurrent(entry.agency) && !options.includeRetired) continue;
      let best: { name: string; rank: number } | undefined;
      for (const { name, key } of names) {
        const rank = rankOf(key, q, words);
        if (rank !== undefined && (best === undefined || rank < best.rank)) best = { name, rank };
      }
      if (best) hits.push({ entry: { ...entry, matchedName: best.name }, rank: best.rank });
    }
    hits.sort((a, b) => a.rank - b.rank || a.entry.matchedName.localeCompare(b.entry.matchedName, 'vi'));
    const sorted = hits.map((hit) => hit.entry);
    return options.limit === undefined ? sorted : sorted.slice(0, options.limit);
  }

  /** How much of a province the directory holds (current agencies), for coverage reports. */
  counts(province: ProvinceId): ProvinceCounts {
    const agencies = this.data.agencies.filter((agency) => agency.province === province);
    const current = agencies.filter(isCurrent);
    return {
      province,
      agencies: current.length,
      groups: this.data.groups.filter((group) => group.province === province).length,
      communes: current.filter((agency) => agency.kind === 'commune').length,
      wards: current.filter((agency) => agency.kind === 'ward').length,
      retired: agencies.length - current.length,
    };
  }
}

function push<T>(index: Map<ProvinceId, Map<string, T[]>>, scope: ProvinceId, key: string, value: T): void {
  let byKey = index.get(scope);
  if (!byKey) index.set(scope, (byKey = new Map()));
  const list = byKey.get(key);
  if (list) list.push(value);
  else byKey.set(key, [value]);
}

function dedupe(found: Indexed[]): Indexed[] {
  const byId = new Map<string, Indexed>();
  for (const item of found) {
    const seen = byId.get(entryId(item.entry));
    if (!seen || (item.exact && !seen.exact)) byId.set(entryId(item.entry), item);
  }
  return [...byId.values()];
}

function rankOf(key: string, query: string, words: string[]): number | undefined {
  if (key === query) return 0;
  if (key.startsWith(`${query} `)) return 1;
  if (` ${key} `.includes(` ${query} `)) return 2;
  const keyWords = key.split(' ');
  return words.every((word) => keyWords.some((k) => k.startsWith(word))) ? 3 : undefined;
}
