import { Agency, AgencyGroup, DirectoryData, Province } from './agency';

/*
 * What happened to the directory, as facts the plan-registry service can store and publish. Shaped
 * like @thihanh/domain's DomainEvent ({ type, data }) and JSON-safe. Each event carries everything
 * `evolve` needs, so replaying never re-decides anything.
 */

export type ProvinceAdded = { type: 'ProvinceAdded'; data: { province: Province } };

export type AgencyAdded = { type: 'AgencyAdded'; data: { agency: Agency } };

/** An import replaced an agency's record (names, kind, parent, focal point) with the one given. */
export type AgencyUpdated = { type: 'AgencyUpdated'; data: { agency: Agency } };

export type AgencyGroupAdded = { type: 'AgencyGroupAdded'; data: { group: AgencyGroup } };

export type AgencyGroupUpdated = { type: 'AgencyGroupUpdated'; data: { group: AgencyGroup } };

/** The old name stays an alias, so plans written before the renaming still resolve. */
export type AgencyRenamed = {
  type: 'AgencyRenamed';
  data: { agencyId: string; from: string; to: string; on?: string };
};

/**
 * Sources retired into `intoId`; their names became aliases of it and their units moved under it.
 * `created` is set when the merge founded the receiving agency (Sở Nông nghiệp và Môi trường).
 */
export type AgenciesMerged = {
  type: 'AgenciesMerged';
  data: {
    sourceIds: string[];
    intoId: string;
    created?: Agency;
    on: string;
    aliasesAdded: string[];
    reparentedIds: string[];
  };
};

export type AgencyRetired = {
  type: 'AgencyRetired';
  data: { agencyId: string; on: string; mergedInto?: string };
};

export type AgencyDirectoryEvent =
  | ProvinceAdded
  | AgencyAdded
  | AgencyUpdated
  | AgencyGroupAdded
  | AgencyGroupUpdated
  | AgencyRenamed
  | AgenciesMerged
  | AgencyRetired;

export const AGENCY_DIRECTORY_EVENT_TYPES: readonly AgencyDirectoryEvent['type'][] = [
  'ProvinceAdded',
  'AgencyAdded',
  'AgencyUpdated',
  'AgencyGroupAdded',
  'AgencyGroupUpdated',
  'AgencyRenamed',
  'AgenciesMerged',
  'AgencyRetired',
];

function mapAgency(data: DirectoryData, id: string, change: (agency: Agency) => Agency): DirectoryData {
  return { ...data, agencies: data.agencies.map((agency) => (agency.id === id ? change(agency) : agency)) };
}

/** State change only: never throws for an event that was valid when it was decided. */
export function evolve(data: DirectoryData, event: AgencyDirectoryEvent): DirectoryData {
  switch (event.type) {
    case 'ProvinceAdded':
      return { ...data, provinces: [...data.provinces, event.data.province] };
    case 'AgencyAdded':
      return { ...data, agencies: [...data.agencies, event.data.agency] };
    case 'AgencyUpdated':
      return mapAgency(data, event.data.agency.id, () => event.data.agency);
    case 'AgencyGroupAdded':
      return { ...data, groups: [...data.groups, event.data.group] };
    case 'AgencyGroupUpdated':
      return { ...data, groups: data.groups.map((group) => (group.id === event.data.group.id ? event.data.group : group)) };
    case 'AgencyRenamed': {
      const { agencyId, from, to } = event.data;
      return mapAgency(data, agencyId, (agency) => ({
        ...agency,
        officialName: to,
        aliases: [...agency.aliases.filter((alias) => alias !== to), ...(agency.aliases.includes(from) ? [] : [from])],
      }));
    }
    case 'AgenciesMerged': {
      const { sourceIds, intoId, created, on, aliasesAdded, reparentedIds } = event.data;
      const sources = new Set(sourceIds);
      const reparented = new Set(reparentedIds);
      const agencies = (created ? [...data.agencies, created] : data.agencies).map((agency): Agency => {
        if (sources.has(agency.id)) return { ...agency, retired: { on, mergedInto: intoId } };
        if (agency.id === intoId) return { ...agency, aliases: [...agency.aliases, ...aliasesAdded] };
        if (reparented.has(agency.id)) return { ...agency, parentId: intoId };
        return agency;
      });
      return { ...data, agencies };
    }
    case 'AgencyRetired': {
      const { agencyId, on, mergedInto } = event.data;
      return mapAgency(data, agencyId, (agency) => ({ ...agency, retired: mergedInto ? { on, mergedInto } : { on } }));
    }
  }
}
