import { ProvinceId } from './agency';
import { Directory } from './agency-directory';
import { InvalidDirectoryDataError } from './agency-directory.errors';
import { importDirectoryJson } from './directory-import-export';
import bacNinh from './data/bac-ninh.json';
import national from './data/national.json';
import sonLa from './data/son-la.json';

/** What a seed file says about its own completeness (the `coverage` field of data/*.json). */
export interface SeedCoverage {
  readonly province: ProvinceId;
  readonly asOf: string;
  readonly communesAndWards?: {
    readonly expected: number;
    readonly shipped: number;
    readonly communes: number;
    readonly wards: number;
    readonly source: string;
  };
  readonly publicServiceUnits?: { readonly shipped: number; readonly note: string };
  readonly notes: readonly string[];
}

const SEED_FILES = [national, sonLa, bacNinh] as const;

let seed: Directory | undefined;

/**
 * The shipped directory: national bodies, Sơn La and Bắc Ninh. Built once (a directory is an
 * immutable value, safe to share); throws if a data file breaks the directory's invariants.
 */
export function seedDirectory(): Directory {
  if (seed) return seed;
  let directory = Directory.empty();
  for (const file of SEED_FILES) {
    const result = importDirectoryJson(directory, file);
    if (!result.ok) throw new InvalidDirectoryDataError(result.problems.map((problem) => ({ id: problem.path, reason: problem.reason })));
    directory = result.directory;
  }
  seed = directory;
  return seed;
}

export function seedCoverage(): SeedCoverage[] {
  return SEED_FILES.map((file) => ({ province: file.provinces[0].id, ...(file.coverage as Omit<SeedCoverage, 'province'>) }));
}

/**
 * An agency's (or group's) name for documents people read: its official name in the directory as
 * shipped, else its id — a name imported later is not known to services that do not follow the
 * directory's events, and an id is better than nothing.
 */
export function agencyDisplayName(id: string, directory: Directory = seedDirectory()): string {
  const agency = directory.agency(id);
  return agency?.officialName ?? agency?.aliases[0] ?? directory.group(id)?.name ?? id;
}
