import { Agency, AgencyGroup, DataProblem, DataRef, DirectoryData, FocalPoint, Province, ProvinceId, isCurrent, validateDirectoryData } from './agency';
import { Directory } from './agency-directory';
import { ImportProblem } from './agency-directory.errors';
import { AgencyDirectoryEvent, evolve } from './agency-directory.events';
import { formatCsv, parseCsv } from './csv';

/*
 * Operators complete and correct the directory with files: CSV for agencies (a spreadsheet per
 * province: the communes and wards, the public service units, focal points), JSON for everything
 * (groups, provinces, retirements; also the format of the seed files in data/). An import is all or
 * nothing: every bad row is reported and none is applied, so a file is fixed and sent again whole.
 */

export const AGENCY_CSV_COLUMNS = [
  'id',
  'officialName',
  'aliases',
  'kind',
  'province',
  'parentId',
  'focalPointName',
  'focalPointPhone',
  'focalPointEmail',
] as const;

export const DIRECTORY_JSON_FORMAT = 'thihanh.agency-directory';

/** `add` rejects ids already in the directory; `upsert` replaces their record (keeping retirement). */
export type ImportMode = 'add' | 'upsert';

export interface ImportOptions {
  readonly mode?: ImportMode;
}

export type ImportResult =
  | {
      readonly ok: true;
      readonly directory: Directory;
      /** What the import did, in order; replaying them on the old directory gives the new one. */
      readonly events: readonly AgencyDirectoryEvent[];
      readonly added: number;
      readonly updated: number;
      readonly unchanged: number;
    }
  | { readonly ok: false; readonly problems: readonly ImportProblem[] };

export interface DirectoryJson {
  readonly format: typeof DIRECTORY_JSON_FORMAT;
  readonly version: 1;
  readonly provinces: readonly Province[];
  readonly agencies: readonly Agency[];
  readonly groups: readonly AgencyGroup[];
}

function canonicalAgency(agency: Agency): Agency {
  const focalPoint = agency.focalPoint
    ? {
        name: agency.focalPoint.name,
        ...(agency.focalPoint.title ? { title: agency.focalPoint.title } : {}),
        ...(agency.focalPoint.phone ? { phone: agency.focalPoint.phone } : {}),
        ...(agency.focalPoint.email ? { email: agency.focalPoint.email } : {}),
      }
    : undefined;
  return {
    id: agency.id,
    officialName: agency.officialName,
    aliases: Array.isArray(agency.aliases) ? [...agency.aliases] : agency.aliases,
    kind: agency.kind,
    province: agency.province,
    ...(agency.parentId ? { parentId: agency.parentId } : {}),
    ...(focalPoint ? { focalPoint } : {}),
    ...(agency.retired ? { retired: agency.retired.mergedInto ? { on: agency.retired.on, mergedInto: agency.retired.mergedInto } : { on: agency.retired.on } } : {}),
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- CSV -----------------------------------------------------------------------------------------

export interface CsvExportOptions {
  readonly province?: ProvinceId;
  /** Retired agencies cannot be told apart in CSV (it has no retirement columns), so they are left out unless asked. */
  readonly includeRetired?: boolean;
  /** Start with a byte order mark, which Excel needs to read UTF-8. */
  readonly bom?: boolean;
}

export function exportAgenciesCsv(directory: Directory, options: CsvExportOptions = {}): string {
  const rows = directory.agencies
    .filter((agency) => options.province === undefined || agency.province === options.province)
    .filter((agency) => options.includeRetired || isCurrent(agency))
    .map((agency) => [
      agency.id,
      agency.officialName,
      agency.aliases.join('|'),
      agency.kind,
      agency.province,
      agency.parentId ?? '',
      agency.focalPoint?.name ?? '',
      agency.focalPoint?.phone ?? '',
      agency.focalPoint?.email ?? '',
    ]);
  return formatCsv([[...AGENCY_CSV_COLUMNS], ...rows], { bom: options.bom });
}

function agencyFromCsv(fields: Record<string, string>): Agency {
  const focalPoint: FocalPoint | undefined =
    fields.focalPointName || fields.focalPointPhone || fields.focalPointEmail
      ? {
          name: fields.focalPointName,
          ...(fields.focalPointPhone ? { phone: fields.focalPointPhone } : {}),
          ...(fields.focalPointEmail ? { email: fields.focalPointEmail } : {}),
        }
      : undefined;
  return {
    id: fields.id,
    officialName: fields.officialName,
    aliases: fields.aliases
      .split('|')
      .map((alias) => alias.trim())
      .filter((alias) => alias !== ''),
    kind: fields.kind as Agency['kind'],
    province: fields.province,
    ...(fields.parentId ? { parentId: fields.parentId } : {}),
    ...(focalPoint ? { focalPoint } : {}),
  };
}

/**
 * Reads agencies from CSV with the header AGENCY_CSV_COLUMNS (any order), UTF-8 with or without a
 * byte order mark; aliases are separated by "|"; fields holding commas are quoted.
 */
export function importAgenciesCsv(directory: Directory, text: string, options: ImportOptions = {}): ImportResult {
  const { records, problems: syntax } = parseCsv(text);
  const problems: ImportProblem[] = syntax.map(({ line, reason }) => ({ line, reason }));
  const [header, ...rows] = records;
  if (!header) return { ok: false, problems: problems.length > 0 ? problems : [{ line: 1, reason: 'the file is empty; expected the header ' + AGENCY_CSV_COLUMNS.join(',') }] };
  const columns = header.fields.map((field) => field.trim());
  const missing = AGENCY_CSV_COLUMNS.filter((column) => !columns.includes(column));
  const unknown = columns.filter((column) => !(AGENCY_CSV_COLUMNS as readonly string[]).includes(column));
  if (missing.length > 0 || unknown.length > 0 || new Set(columns).size !== columns.length) {
    const reasons = [
      ...(missing.length > 0 ? [`missing column(s) ${missing.join(', ')}`] : []),
      ...(unknown.length > 0 ? [`unknown column(s) ${unknown.join(', ')}`] : []),
      ...(new Set(columns).size !== columns.length ? ['a column is repeated'] : []),
    ];
    return { ok: false, problems: [...problems, { line: header.line, reason: `bad header: ${reasons.join('; ')}; expected ${AGENCY_CSV_COLUMNS.join(',')}` }] };
  }
  const agencies: { line: number; agency: Agency }[] = [];
  for (const row of rows) {
    if (row.fields.length !== columns.length) {
      problems.push({ line: row.line, reason: `expected ${columns.length} fields, found ${row.fields.length} (quote fields that contain commas)` });
      continue;
    }
    const fields: Record<string, string> = {};
    columns.forEach((column, index) => (fields[column] = row.fields[index].trim()));
    agencies.push({ line: row.line, agency: agencyFromCsv(fields) });
  }
  const result = merge(directory, { agencies: agencies.map(({ agency }) => agency), groups: [], provinces: [] }, options.mode ?? 'add', (ref) =>
    'agencyIndex' in ref ? { line: agencies[ref.agencyIndex].line } : {},
  );
  if (!result.ok) problems.push(...result.problems);
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return problems.length > 0 ? { ok: false, problems } : result;
}

// ---- JSON ----------------------------------------------------------------------------------------

export function exportDirectoryJson(directory: Directory, options: { province?: ProvinceId } = {}): string {
  const inProvince = (item: { province: ProvinceId }) => options.province === undefined || item.province === options.province;
  const document: DirectoryJson = {
    format: DIRECTORY_JSON_FORMAT,
    version: 1,
    provinces: directory.data.provinces.filter((province) => options.province === undefined || province.id === options.province),
    agencies: directory.agencies.filter(inProvince).map(canonicalAgency),
    groups: directory.groups.filter(inProvince),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listAt(document: Record<string, unknown>, field: string, problems: ImportProblem[]): Record<string, unknown>[] {
  const value = document[field];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ path: field, reason: `${field} must be a list` });
    return [];
  }
  return value.map((item, index) => {
    if (!isRecord(item)) problems.push({ path: `${field}[${index}]`, reason: 'must be an object' });
    return isRecord(item) ? item : {};
  });
}

/**
 * Reads a directory document (DirectoryJson; the seed files have this shape plus a `coverage` note)
 * and adds its provinces, agencies and groups. Fields are taken as they are; the directory's
 * invariants decide what is acceptable.
 */
export function importDirectoryJson(directory: Directory, input: string | unknown, options: ImportOptions = {}): ImportResult {
  let document: unknown = input;
  if (typeof input === 'string') {
    try {
      document = JSON.parse(input.startsWith('\uFEFF') ? input.slice(1) : input);
    } catch (error) {
      return { ok: false, problems: [{ reason: `not JSON: ${(error as Error).message}` }] };
    }
  }
  if (!isRecord(document)) return { ok: false, problems: [{ reason: 'the document must be a JSON object' }] };
  const problems: ImportProblem[] = [];
  if (document.format !== undefined && document.format !== DIRECTORY_JSON_FORMAT) problems.push({ path: 'format', reason: `format must be "${DIRECTORY_JSON_FORMAT}"` });
  if (document.version !== undefined && document.version !== 1) problems.push({ path: 'version', reason: 'only version 1 is known' });
  const provinces = listAt(document, 'provinces', problems) as unknown as Province[];
  const agencies = listAt(document, 'agencies', problems).map((agency) => ({ aliases: [], ...agency })) as unknown as Agency[];
  const groups = listAt(document, 'groups', problems).map((group) => ({ aliases: [], ...group })) as unknown as AgencyGroup[];
  if (problems.length > 0) return { ok: false, problems };
  return merge(directory, { provinces, agencies: agencies.map(canonicalAgency), groups }, options.mode ?? 'add', (ref) =>
    'agencyIndex' in ref ? { path: `agencies[${ref.agencyIndex}]` } : 'groupIndex' in ref ? { path: `groups[${ref.groupIndex}]` } : { path: `provinces[${ref.provinceIndex}]` },
  );
}

// ---- both ----------------------------------------------------------------------------------------

/**
 * Adds the incoming entries to the directory's data and checks the result as a whole (a row may name
 * a parent further down the file). Problems are located with `where`, given the index of the entry in
 * the incoming data.
 */
function merge(directory: Directory, incoming: DirectoryData, mode: ImportMode, where: (ref: DataRef) => Omit<ImportProblem, 'reason'>): ImportResult {
  const problems: ImportProblem[] = [];
  const events: AgencyDirectoryEvent[] = [];
  let added = 0;
  let updated = 0;
  let unchanged = 0;

  const seen = new Map<string, number>();
  const firstUse = (id: string, ref: DataRef): boolean => {
    const key = String(id);
    if (seen.has(key)) {
      problems.push({ ...where(ref), reason: `id "${key}" appears more than once in the import` });
      return false;
    }
    seen.set(key, 0);
    return true;
  };

  incoming.provinces.forEach((province, provinceIndex) => {
    const existing = directory.data.provinces.find((p) => p.id === province.id);
    if (!existing) {
      events.push({ type: 'ProvinceAdded', data: { province: { id: province.id, name: province.name } } });
      added += 1;
    } else if (existing.name !== province.name) {
      problems.push({ ...where({ provinceIndex }), reason: `province "${province.id}" is already named "${existing.name}"` });
    }
  });

  // Where each incoming entry will sit in the merged data, to map the directory's problems back.
  const agencyRefs = new Map<number, DataRef>();
  const groupRefs = new Map<number, DataRef>();
  const agencyCount = directory.agencies.length;
  const agencyIndexById = new Map(directory.agencies.map((agency, index) => [agency.id, index]));
  const groupIndexById = new Map(directory.groups.map((group, index) => [group.id, index]));
  let appendedAgencies = 0;
  incoming.agencies.forEach((agency, agencyIndex) => {
    const ref = { agencyIndex };
    if (!firstUse(agency.id, ref)) return;
    const existingIndex = agencyIndexById.get(agency.id) ?? -1;
    if (existingIndex < 0) {
      if (directory.group(agency.id)) {
        problems.push({ ...where(ref), reason: `id "${agency.id}" is a group's id` });
        return;
      }
      events.push({ type: 'AgencyAdded', data: { agency } });
      agencyRefs.set(agencyCount + appendedAgencies++, ref);
      added += 1;
      return;
    }
    if (mode === 'add') {
      problems.push({ ...where(ref), reason: `id "${agency.id}" is already in the directory (import with mode "upsert" to replace it)` });
      return;
    }
    const existing = directory.agencies[existingIndex];
    // CSV has no title or retirement columns: keep what the directory knows.
    const title = existing.focalPoint?.title && agency.focalPoint?.name === existing.focalPoint.name ? { title: existing.focalPoint.title } : {};
    const replacement = canonicalAgency({
      ...agency,
      ...(agency.focalPoint ? { focalPoint: { ...title, ...agency.focalPoint } } : {}),
      ...(agency.retired ? {} : existing.retired ? { retired: existing.retired } : {}),
    });
    agencyRefs.set(existingIndex, ref);
    if (sameJson(replacement, canonicalAgency(existing))) unchanged += 1;
    else {
      events.push({ type: 'AgencyUpdated', data: { agency: replacement } });
      updated += 1;
    }
  });

  const groupCount = directory.groups.length;
  let appendedGroups = 0;
  incoming.groups.forEach((group, groupIndex) => {
    const ref = { groupIndex };
    if (!firstUse(group.id, ref)) return;
    const existingIndex = groupIndexById.get(group.id) ?? -1;
    if (existingIndex < 0) {
      if (directory.agency(group.id)) {
        problems.push({ ...where(ref), reason: `id "${group.id}" is an agency's id` });
        return;
      }
      events.push({ type: 'AgencyGroupAdded', data: { group } });
      groupRefs.set(groupCount + appendedGroups++, ref);
      added += 1;
      return;
    }
    if (mode === 'add') {
      problems.push({ ...where(ref), reason: `id "${group.id}" is already in the directory (import with mode "upsert" to replace it)` });
      return;
    }
    groupRefs.set(existingIndex, ref);
    if (sameJson(group, directory.groups[existingIndex])) unchanged += 1;
    else {
      events.push({ type: 'AgencyGroupUpdated', data: { group } });
      updated += 1;
    }
  });

  // Entries rejected above are left out; the rest are still checked so every bad row is reported.
  let data = directory.data;
  for (const event of events) data = evolve(data, event);
  const provinceRefs = new Map<number, DataRef>();
  incoming.provinces.forEach((_, provinceIndex) => provinceRefs.set(directory.data.provinces.length + provinceIndex, { provinceIndex }));
  for (const problem of validateDirectoryData(data)) problems.push(locate(problem, agencyRefs, groupRefs, provinceRefs, where));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, directory: Directory.fromData(data), events, added, updated, unchanged };
}

function locate(
  problem: DataProblem,
  agencyRefs: Map<number, DataRef>,
  groupRefs: Map<number, DataRef>,
  provinceRefs: Map<number, DataRef>,
  where: (ref: DataRef) => Omit<ImportProblem, 'reason'>,
): ImportProblem {
  const at = problem.at;
  const ref = 'agencyIndex' in at ? agencyRefs.get(at.agencyIndex) : 'groupIndex' in at ? groupRefs.get(at.groupIndex) : provinceRefs.get(at.provinceIndex);
  // A problem on an entry the import did not touch was caused by one it did (a name now taken twice).
  return ref ? { ...where(ref), reason: problem.reason } : { reason: `${problem.id ?? 'directory'}: ${problem.reason}` };
}
