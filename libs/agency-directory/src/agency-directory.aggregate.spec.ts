import { Agency } from './agency';
import { Directory } from './agency-directory';
import { addAgency, mergeAgencies, renameAgency, retireAgency } from './agency-directory.aggregate';
import { AgencyDirectoryEvent } from './agency-directory.events';

const agency = (id: string, officialName: string, kind: Agency['kind'], more: Partial<Agency> = {}): Agency => ({
  id,
  officialName,
  aliases: [],
  kind,
  province: 'son-la',
  ...more,
});

// Sơn La on the eve of the 2025 reorganisation of departments.
const before = Directory.fromData({
  provinces: [{ id: 'son-la', name: 'Sơn La' }],
  agencies: [
    agency('son-la.ubnd-tinh', 'Ủy ban nhân dân tỉnh Sơn La', 'provincial-people-committee'),
    agency('son-la.so-tai-chinh', 'Sở Tài chính tỉnh Sơn La', 'department', { aliases: ['Sở Tài chính'] }),
    agency('son-la.so-ke-hoach-va-dau-tu', 'Sở Kế hoạch và Đầu tư tỉnh Sơn La', 'department', { aliases: ['Sở KH&ĐT'] }),
    agency('son-la.so-tai-nguyen-va-moi-truong', 'Sở Tài nguyên và Môi trường tỉnh Sơn La', 'department'),
    agency('son-la.so-nong-nghiep-va-phat-trien-nong-thon', 'Sở Nông nghiệp và Phát triển nông thôn tỉnh Sơn La', 'department'),
    agency('son-la.chi-cuc-thuy-loi', 'Chi cục Thủy lợi', 'other', { parentId: 'son-la.so-nong-nghiep-va-phat-trien-nong-thon' }),
    agency('son-la.ubnd-xa-muong-la', 'Ủy ban nhân dân xã Mường La', 'commune'),
  ],
  groups: [
    { id: 'son-la.group.cac-so-ban-nganh', name: 'Các sở, ban, ngành tỉnh', aliases: [], province: 'son-la', members: { rule: { kinds: ['department'] } } },
  ],
});

function idOf(directory: Directory, name: string): string | undefined {
  const resolution = directory.resolve(name, 'son-la');
  return resolution.status === 'matched' && resolution.type === 'agency' ? resolution.agency.id : resolution.status;
}

describe('adding an agency', () => {
  it('adds it and records AgencyAdded', () => {
    const { directory, event } = addAgency(before, { agency: agency('son-la.ubnd-phuong-to-hieu', 'Ủy ban nhân dân phường Tô Hiệu', 'ward', { aliases: ['Phường Tô Hiệu'] }) });
    expect(event).toEqual({ type: 'AgencyAdded', data: { agency: expect.objectContaining({ id: 'son-la.ubnd-phuong-to-hieu' }) } });
    expect(idOf(directory, 'UBND phường Tô Hiệu')).toBe('son-la.ubnd-phuong-to-hieu');
    expect(before.agency('son-la.ubnd-phuong-to-hieu')).toBeUndefined();
  });

  it('refuses an id already used', () => {
    expect(() => addAgency(before, { agency: agency('son-la.so-tai-chinh', 'Sở Tài chính mới', 'department') })).toThrow(
      expect.objectContaining({ code: 'AGENCY.DUPLICATE_ID', kind: 'rule' }),
    );
  });

  it('refuses a name another current agency of the province answers to', () => {
    expect(() => addAgency(before, { agency: agency('son-la.so-tai-chinh-2', 'Sở Tài chính', 'department') })).toThrow(
      expect.objectContaining({ code: 'AGENCY.NAME_TAKEN' }),
    );
  });

  it('refuses a malformed agency with every reason', () => {
    const bad = { ...agency('son-la.x', '', 'department'), kind: 'sở' as Agency['kind'], focalPoint: { name: 'A', email: 'not-an-email' } };
    expect(() => addAgency(before, { agency: bad })).toThrow(expect.objectContaining({ code: 'AGENCY.INVALID', reasons: expect.arrayContaining([expect.stringContaining('official name'), expect.stringContaining('kind "sở"'), expect.stringContaining('email')]) }));
  });

  it('refuses a parent it does not know', () => {
    expect(() => addAgency(before, { agency: agency('son-la.phong-x', 'Phòng X', 'other', { parentId: 'son-la.khong-co' }) })).toThrow(
      expect.objectContaining({ code: 'AGENCY.UNKNOWN' }),
    );
  });
});

describe('renaming an agency', () => {
  it('keeps the id and keeps the old name as an alias', () => {
    const { directory, event } = renameAgency(before, { agencyId: 'son-la.so-tai-chinh', newName: 'Sở Tài chính và Đầu tư tỉnh Sơn La', on: '2025-03-01' });
    expect(event).toEqual({ type: 'AgencyRenamed', data: { agencyId: 'son-la.so-tai-chinh', from: 'Sở Tài chính tỉnh Sơn La', to: 'Sở Tài chính và Đầu tư tỉnh Sơn La', on: '2025-03-01' } });
    expect(directory.getAgency('son-la.so-tai-chinh').aliases).toContain('Sở Tài chính tỉnh Sơn La');
    expect(idOf(directory, 'Sở Tài chính và Đầu tư')).toBe('son-la.so-tai-chinh');
    expect(idOf(directory, 'Sở Tài chính tỉnh Sơn La')).toBe('son-la.so-tai-chinh');
  });

  it('refuses an unknown agency and a name taken by another', () => {
    expect(() => renameAgency(before, { agencyId: 'son-la.khong-co', newName: 'X' })).toThrow(expect.objectContaining({ code: 'AGENCY.UNKNOWN' }));
    expect(() => renameAgency(before, { agencyId: 'son-la.so-tai-chinh', newName: 'Sở KH&ĐT' })).toThrow(expect.objectContaining({ code: 'AGENCY.NAME_TAKEN' }));
  });
});

describe('merging agencies', () => {
  it('retires the merged agency into the existing one, whose aliases gain its names (Sở KH&ĐT into Sở Tài chính)', () => {
    const { directory, event } = mergeAgencies(before, { sourceIds: ['son-la.so-ke-hoach-va-dau-tu'], into: 'son-la.so-tai-chinh', on: '2025-03-01' });
    expect(event).toEqual({
      type: 'AgenciesMerged',
      data: { sourceIds: ['son-la.so-ke-hoach-va-dau-tu'], intoId: 'son-la.so-tai-chinh', on: '2025-03-01', aliasesAdded: ['Sở Kế hoạch và Đầu tư tỉnh Sơn La', 'Sở KH&ĐT'], reparentedIds: [] },
    });
    expect(directory.getAgency('son-la.so-ke-hoach-va-dau-tu').retired).toEqual({ on: '2025-03-01', mergedInto: 'son-la.so-tai-chinh' });
    expect(idOf(directory, 'Sở Kế hoạch và Đầu tư tỉnh Sơn La')).toBe('son-la.so-tai-chinh');
    expect(idOf(directory, 'Sở KH&ĐT')).toBe('son-la.so-tai-chinh');
    expect(directory.expand('son-la.group.cac-so-ban-nganh').map((a) => a.id)).not.toContain('son-la.so-ke-hoach-va-dau-tu');
  });

  it('merges A and B into a new C, moving their units under C', () => {
    const c = agency('son-la.so-nong-nghiep-va-moi-truong', 'Sở Nông nghiệp và Môi trường tỉnh Sơn La', 'department', { aliases: ['Sở Nông nghiệp và Môi trường'] });
    const { directory, event } = mergeAgencies(before, {
      sourceIds: ['son-la.so-tai-nguyen-va-moi-truong', 'son-la.so-nong-nghiep-va-phat-trien-nong-thon'],
      into: c,
      on: '2025-03-01',
    });
    expect(event.data.created).toEqual(c);
    expect(event.data.reparentedIds).toEqual(['son-la.chi-cuc-thuy-loi']);
    expect(directory.getAgency('son-la.chi-cuc-thuy-loi').parentId).toBe('son-la.so-nong-nghiep-va-moi-truong');
    expect(idOf(directory, 'Sở Tài nguyên và Môi trường tỉnh Sơn La')).toBe('son-la.so-nong-nghiep-va-moi-truong');
    expect(idOf(directory, 'Sở Nông nghiệp và Phát triển nông thôn tỉnh Sơn La')).toBe('son-la.so-nong-nghiep-va-moi-truong');
    expect(directory.expand('son-la.group.cac-so-ban-nganh').map((a) => a.id)).toEqual(['son-la.so-tai-chinh', 'son-la.so-ke-hoach-va-dau-tu', 'son-la.so-nong-nghiep-va-moi-truong']);
  });

  it('refuses to merge an agency into itself, a retired one, or nothing', () => {
    expect(() => mergeAgencies(before, { sourceIds: ['son-la.so-tai-chinh'], into: 'son-la.so-tai-chinh', on: '2025-03-01' })).toThrow(
      expect.objectContaining({ code: 'AGENCY.INVALID_MERGE' }),
    );
    expect(() => mergeAgencies(before, { sourceIds: [], into: 'son-la.so-tai-chinh', on: '2025-03-01' })).toThrow(expect.objectContaining({ code: 'AGENCY.INVALID_MERGE' }));
    const merged = mergeAgencies(before, { sourceIds: ['son-la.so-ke-hoach-va-dau-tu'], into: 'son-la.so-tai-chinh', on: '2025-03-01' }).directory;
    expect(() => mergeAgencies(merged, { sourceIds: ['son-la.so-ke-hoach-va-dau-tu'], into: 'son-la.so-tai-chinh', on: '2025-03-02' })).toThrow(
      expect.objectContaining({ code: 'AGENCY.ALREADY_RETIRED' }),
    );
  });
});

describe('retiring an agency', () => {
  it('retires it: it no longer resolves or expands, but stays findable by id', () => {
    const { directory, event } = retireAgency(before, { agencyId: 'son-la.ubnd-xa-muong-la', on: '2025-07-01' });
    expect(event).toEqual({ type: 'AgencyRetired', data: { agencyId: 'son-la.ubnd-xa-muong-la', on: '2025-07-01' } });
    expect(directory.getAgency('son-la.ubnd-xa-muong-la').retired).toEqual({ on: '2025-07-01' });
    expect(directory.resolve('Ủy ban nhân dân xã Mường La', 'son-la')).toMatchObject({ status: 'unknown', retired: [{ id: 'son-la.ubnd-xa-muong-la' }] });
  });

  it('refuses to retire twice', () => {
    const { directory } = retireAgency(before, { agencyId: 'son-la.ubnd-xa-muong-la', on: '2025-07-01' });
    expect(() => retireAgency(directory, { agencyId: 'son-la.ubnd-xa-muong-la', on: '2025-07-02' })).toThrow(
      expect.objectContaining({ code: 'AGENCY.ALREADY_RETIRED', kind: 'rule' }),
    );
  });

  it('refuses while it still has current units, and a day that is not a day', () => {
    expect(() => retireAgency(before, { agencyId: 'son-la.so-nong-nghiep-va-phat-trien-nong-thon', on: '2025-03-01' })).toThrow(
      expect.objectContaining({ code: 'AGENCY.HAS_CURRENT_CHILDREN' }),
    );
    expect(() => retireAgency(before, { agencyId: 'son-la.ubnd-xa-muong-la', on: '1/7/2025' })).toThrow(expect.objectContaining({ code: 'AGENCY.INVALID' }));
  });
});

describe('replaying events', () => {
  it('rebuilds the same directory from the starting data and the events', () => {
    const events: AgencyDirectoryEvent[] = [];
    let directory = before;
    for (const decide of [
      (d: Directory) => mergeAgencies(d, { sourceIds: ['son-la.so-ke-hoach-va-dau-tu'], into: 'son-la.so-tai-chinh', on: '2025-03-01' }),
      (d: Directory) => renameAgency(d, { agencyId: 'son-la.ubnd-xa-muong-la', newName: 'Ủy ban nhân dân xã Mường La mới' }),
      (d: Directory) => retireAgency(d, { agencyId: 'son-la.chi-cuc-thuy-loi', on: '2025-03-01' }),
    ]) {
      const change = decide(directory);
      events.push(change.event);
      directory = change.directory;
    }
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
    expect(Directory.replay(before.data, events).data).toEqual(directory.data);
  });
});
