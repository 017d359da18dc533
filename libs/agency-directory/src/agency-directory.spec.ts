import { Agency, AgencyGroup, DirectoryData } from './agency';
import { Directory } from './agency-directory';
import { InvalidDirectoryDataError, UnknownAgencyError, UnknownAgencyGroupError } from './agency-directory.errors';
import { seedDirectory } from './seed-directory';

const agency = (id: string, officialName: string, kind: Agency['kind'], more: Partial<Agency> = {}): Agency => ({
  id,
  officialName,
  aliases: [],
  kind,
  province: id.split('.')[0],
  ...more,
});

const small: DirectoryData = {
  provinces: [
    { id: 'son-la', name: 'Sơn La' },
    { id: 'bac-ninh', name: 'Bắc Ninh' },
    { id: 'national', name: 'Trung ương' },
  ],
  agencies: [
    agency('son-la.ubnd-tinh', 'Ủy ban nhân dân tỉnh Sơn La', 'provincial-people-committee'),
    agency('son-la.cong-an-tinh', 'Công an tỉnh Sơn La', 'provincial-police', { aliases: ['Công an tỉnh'] }),
    agency('son-la.so-tu-phap', 'Sở Tư pháp tỉnh Sơn La', 'department', { aliases: ['Sở Tư pháp'], parentId: 'son-la.ubnd-tinh' }),
    agency('son-la.so-ke-hoach-va-dau-tu', 'Sở Kế hoạch và Đầu tư tỉnh Sơn La', 'department', { retired: { on: '2025-03-01', mergedInto: 'son-la.so-tai-chinh' } }),
    agency('son-la.so-tai-chinh', 'Sở Tài chính tỉnh Sơn La', 'department', { aliases: ['Sở Tài chính'] }),
    agency('son-la.so-lao-dong-thuong-binh-va-xa-hoi', 'Sở Lao động - Thương binh và Xã hội tỉnh Sơn La', 'department', { retired: { on: '2025-03-01' } }),
    agency('son-la.trung-tam-a', 'Trung tâm A', 'public-service-unit', { parentId: 'son-la.ubnd-tinh', aliases: ['Trung tâm'] }),
    agency('son-la.trung-tam-b', 'Trung tâm B', 'public-service-unit', { parentId: 'son-la.so-tu-phap' }),
    agency('son-la.ubnd-xa-muong-la', 'Ủy ban nhân dân xã Mường La', 'commune', { aliases: ['Xã Mường La'] }),
    agency('son-la.ubnd-phuong-to-hieu', 'Ủy ban nhân dân phường Tô Hiệu', 'ward', { aliases: ['Phường Tô Hiệu'] }),
    agency('bac-ninh.cong-an-tinh', 'Công an tỉnh Bắc Ninh', 'provincial-police', { aliases: ['Công an tỉnh'] }),
    agency('national.bo-cong-an', 'Bộ Công an', 'ministry'),
    agency('national.trung-tam-quoc-gia', 'Trung tâm Quốc gia', 'central-agency', { aliases: ['Trung tâm'] }),
  ],
  groups: [
    { id: 'son-la.group.ubnd-cac-xa-phuong', name: 'Ủy ban nhân dân các xã, phường', aliases: ['UBND cấp xã'], province: 'son-la', members: { rule: { kinds: ['commune', 'ward'] } } },
    { id: 'son-la.group.don-vi-su-nghiep-cong-lap', name: 'Các đơn vị sự nghiệp công lập trực thuộc Ủy ban nhân dân tỉnh', aliases: [], province: 'son-la', members: { rule: { kinds: ['public-service-unit'], parentId: 'son-la.ubnd-tinh' } } },
    { id: 'son-la.group.so-cu', name: 'Các sở cũ', aliases: [], province: 'son-la', members: { agencyIds: ['son-la.so-ke-hoach-va-dau-tu', 'son-la.so-lao-dong-thuong-binh-va-xa-hoi', 'son-la.so-tu-phap', 'son-la.so-tai-chinh'] } },
    { id: 'son-la.group.tru-cong-an', name: 'Các cơ quan khác', aliases: [], province: 'son-la', members: { rule: { kinds: ['provincial-police', 'department'], except: ['son-la.cong-an-tinh'] } } },
  ],
};

const directory = Directory.fromData(small);

function ids(agencies: readonly Agency[]): string[] {
  return agencies.map((a) => a.id);
}

describe('Directory.resolve', () => {
  it('matches an official name or an alias and says which name matched', () => {
    const byAlias = directory.resolve('Sở Tư pháp', 'son-la');
    expect(byAlias).toMatchObject({ status: 'matched', type: 'agency', matchedName: 'Sở Tư pháp' });
    expect(directory.resolve('Sở Tư pháp tỉnh Sơn La', 'son-la')).toMatchObject({ status: 'matched', matchedName: 'Sở Tư pháp tỉnh Sơn La' });
  });

  it('reads a trailing province name as the province: "Công an tỉnh Sơn La" = "Công an tỉnh"', () => {
    const resolution = directory.resolve('Công an tỉnh Sơn La', 'son-la');
    expect(resolution.status === 'matched' && resolution.type === 'agency' && resolution.agency.id).toBe('son-la.cong-an-tinh');
  });

  it('follows a trailing province name to that province even from another province\'s plan', () => {
    const resolution = directory.resolve('Công an tỉnh Bắc Ninh', 'son-la');
    expect(resolution.status === 'matched' && resolution.type === 'agency' && resolution.agency.id).toBe('bac-ninh.cong-an-tinh');
  });

  it('drops "tỉnh" left over after the province name: "Sở Tư pháp tỉnh" as in "Sở Tư pháp"', () => {
    const resolution = directory.resolve('Sở Tư pháp tỉnh', 'son-la');
    expect(resolution.status === 'matched' && resolution.type === 'agency' && resolution.agency.id).toBe('son-la.so-tu-phap');
  });

  it('resolves within the province asked for: "Công an tỉnh" is a different agency in each province', () => {
    const inSonLa = directory.resolve('Công an tỉnh', 'son-la');
    const inBacNinh = directory.resolve('Công an tỉnh', 'bac-ninh');
    expect(inSonLa.status === 'matched' && inSonLa.type === 'agency' && inSonLa.agency.id).toBe('son-la.cong-an-tinh');
    expect(inBacNinh.status === 'matched' && inBacNinh.type === 'agency' && inBacNinh.agency.id).toBe('bac-ninh.cong-an-tinh');
  });

  it('finds national bodies from any province', () => {
    const resolution = directory.resolve('Bộ Công an', 'bac-ninh');
    expect(resolution.status === 'matched' && resolution.type === 'agency' && resolution.agency.id).toBe('national.bo-cong-an');
  });

  it('resolves a group to the group, not to its members', () => {
    const resolution = directory.resolve('UBND các xã, phường', 'son-la');
    expect(resolution).toMatchObject({ status: 'matched', type: 'group', group: { id: 'son-la.group.ubnd-cac-xa-phuong' } });
  });

  it('reports a name two bodies answer to as ambiguous, with both, instead of picking one', () => {
    const resolution = directory.resolve('Trung tâm', 'son-la');
    expect(resolution.status).toBe('ambiguous');
    expect(resolution.status === 'ambiguous' && resolution.candidates.map((c) => (c.type === 'agency' ? c.agency.id : c.group.id)).sort()).toEqual([
      'national.trung-tam-quoc-gia',
      'son-la.trung-tam-a',
    ]);
  });

  it('reports a name nobody answers to as unknown, without guessing a near one', () => {
    expect(directory.resolve('Sở Tư', 'son-la')).toEqual({ status: 'unknown' });
    expect(directory.resolve('Sở Tư pháp', 'bac-ninh')).toEqual({ status: 'unknown' });
    expect(directory.resolve('Công an', 'son-la')).toEqual({ status: 'unknown' });
    expect(directory.resolve('', 'son-la')).toEqual({ status: 'unknown' });
  });

  it('does not resolve to a retired agency, but says it once bore the name', () => {
    const resolution = directory.resolve('Sở Lao động - Thương binh và Xã hội tỉnh Sơn La', 'son-la');
    expect(resolution.status).toBe('unknown');
    expect(resolution.status === 'unknown' && ids(resolution.retired ?? [])).toEqual(['son-la.so-lao-dong-thuong-binh-va-xa-hoi']);
  });
});

describe('Directory.expand', () => {
  it('expands a rule group to the current agencies of its province that fit it', () => {
    expect(ids(directory.expand('son-la.group.ubnd-cac-xa-phuong'))).toEqual(['son-la.ubnd-xa-muong-la', 'son-la.ubnd-phuong-to-hieu']);
  });

  it('takes only direct units of the parent a rule names', () => {
    expect(ids(directory.expand('son-la.group.don-vi-su-nghiep-cong-lap'))).toEqual(['son-la.trung-tam-a']);
  });

  it('leaves out retired agencies and those the rule excepts', () => {
    expect(ids(directory.expand('son-la.group.tru-cong-an'))).toEqual(['son-la.so-tu-phap', 'son-la.so-tai-chinh']);
  });

  it('replaces a listed member merged away by its successor, once, and drops one retired without successor', () => {
    expect(ids(directory.expand('son-la.group.so-cu'))).toEqual(['son-la.so-tai-chinh', 'son-la.so-tu-phap']);
  });

  it('refuses a group it does not know', () => {
    expect(() => directory.expand('son-la.group.khong-co')).toThrow(UnknownAgencyGroupError);
    expect(() => directory.expand('son-la.group.khong-co')).toThrow(expect.objectContaining({ code: 'AGENCY.UNKNOWN_GROUP' }));
  });

  it('expands the shipped groups of both provinces', () => {
    const seed = seedDirectory();
    for (const province of ['son-la', 'bac-ninh']) {
      const departments = ids(seed.expand(`${province}.group.cac-so-ban-nganh`));
      expect(departments).toEqual(expect.arrayContaining([`${province}.so-tu-phap`, `${province}.cong-an-tinh`, `${province}.van-phong-ubnd-tinh`]));
      expect(departments).not.toContain(`${province}.ubnd-tinh`);
      expect(departments.some((id) => id.includes('.ubnd-xa-') || id.includes('.ubnd-phuong-'))).toBe(false);
      const related = ids(seed.expand(`${province}.group.co-quan-lien-quan`));
      expect(related).toEqual(expect.arrayContaining([...departments, `${province}.bao-va-phat-thanh-truyen-hinh`]));
      // "khác": other than the provincial press body the plan names next to it.
      expect(ids(seed.expand(`${province}.group.co-quan-bao-chi`))).not.toContain(`${province}.bao-va-phat-thanh-truyen-hinh`);
    }
    expect(seed.expand('national.group.bo-nganh-trung-uong').length).toBe(17);
  });
});

describe('Directory.search', () => {
  it('finds Sơn La agencies for "son la", ignoring diacritics', () => {
    const hits = seedDirectory().search('son la');
    const found = hits.map((hit) => (hit.type === 'agency' ? hit.agency.id : hit.group.id));
    expect(found).toEqual(expect.arrayContaining(['son-la.cong-an-tinh', 'son-la.ubnd-tinh', 'son-la.bao-va-phat-thanh-truyen-hinh']));
    expect(found.filter((id) => id.startsWith('bac-ninh.'))).toEqual([]);
  });

  it('ranks an exact name first', () => {
    const [first] = seedDirectory().search('so tu phap', { province: 'bac-ninh' });
    expect(first).toMatchObject({ type: 'agency', agency: { id: 'bac-ninh.so-tu-phap' } });
  });

  it('matches word starts in any order and can be limited to a province', () => {
    const hits = seedDirectory().search('mai da', { province: 'bac-ninh' });
    expect(hits.map((hit) => hit.type === 'agency' && hit.agency.id)).toEqual(['bac-ninh.ubnd-phuong-da-mai']);
  });

  it('leaves retired agencies out unless asked', () => {
    expect(directory.search('lao dong')).toEqual([]);
    expect(directory.search('lao dong', { includeRetired: true })).toHaveLength(1);
  });
});

describe('Directory.fromData', () => {
  it('refuses data where two current agencies of a province answer to one name', () => {
    const clash = { ...small, agencies: [...small.agencies, agency('son-la.so-tu-phap-2', 'Sở Tư pháp', 'department')] };
    expect(() => Directory.fromData(clash)).toThrow(InvalidDirectoryDataError);
  });

  it('refuses dangling references and malformed ids', () => {
    const group: AgencyGroup = { id: 'son-la.group.x', name: 'X', aliases: [], province: 'son-la', members: { agencyIds: ['son-la.khong-co'] } };
    expect(() => Directory.fromData({ ...small, groups: [...small.groups, group] })).toThrow(/member "son-la.khong-co"/);
    expect(() => Directory.fromData({ ...small, agencies: [...small.agencies, agency('bac-ninh.x', 'X', 'department', { province: 'son-la' })] })).toThrow(/must start with its province/);
  });

  it('gives agencies by id and refuses unknown ones by code', () => {
    expect(directory.getAgency('son-la.so-tu-phap').officialName).toBe('Sở Tư pháp tỉnh Sơn La');
    expect(() => directory.getAgency('son-la.khong-co')).toThrow(UnknownAgencyError);
    expect(() => directory.getAgency('son-la.khong-co')).toThrow(expect.objectContaining({ code: 'AGENCY.UNKNOWN', kind: 'not_found' }));
  });
});
