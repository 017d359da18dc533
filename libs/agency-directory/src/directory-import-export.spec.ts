import { Directory } from './agency-directory';
import { parseCsv } from './csv';
import { AGENCY_CSV_COLUMNS, exportAgenciesCsv, exportDirectoryJson, importAgenciesCsv, importDirectoryJson } from './directory-import-export';
import { seedDirectory } from './seed-directory';

const HEADER = AGENCY_CSV_COLUMNS.join(',');
const seed = seedDirectory();
const provincesOnly = Directory.fromData({ provinces: seed.data.provinces, agencies: [], groups: [] });

describe('CSV export and import', () => {
  it('round-trips every current agency of the shipped directory', () => {
    const csv = exportAgenciesCsv(seed);
    const result = importAgenciesCsv(provincesOnly, csv);
    if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 3)));
    expect(result.directory.agencies).toEqual(seed.agencies);
    expect(result.added).toBe(seed.agencies.length);
    expect(exportAgenciesCsv(result.directory)).toBe(csv);
  });

  it('quotes names that contain commas and reads them back whole', () => {
    const csv = exportAgenciesCsv(seed, { province: 'son-la' });
    expect(csv).toContain('"Sở Văn hóa, Thể thao và Du lịch tỉnh Sơn La"');
    const row = parseCsv(csv).records.find((record) => record.fields[0] === 'son-la.so-van-hoa-the-thao-va-du-lich');
    expect(row?.fields.slice(1, 3)).toEqual(['Sở Văn hóa, Thể thao và Du lịch tỉnh Sơn La', 'Sở Văn hóa, Thể thao và Du lịch|Sở VHTTDL|Sở VH,TT&DL']);
  });

  it('reads UTF-8 with a byte order mark, CRLF line ends, doubled quotes and columns in any order', () => {
    const csv =
      '\uFEFFkind,id,officialName,aliases,province,parentId,focalPointName,focalPointPhone,focalPointEmail\r\n' +
      'ward,son-la.ubnd-phuong-moi,"Ủy ban nhân dân phường ""Mới""","Phường Mới|P. Mới",son-la,,"Lò Văn A","0212 3 852 000",a@sonla.gov.vn\r\n';
    const result = importAgenciesCsv(provincesOnly, csv);
    expect(result.ok).toBe(true);
    expect(result.ok && result.directory.agency('son-la.ubnd-phuong-moi')).toEqual({
      id: 'son-la.ubnd-phuong-moi',
      officialName: 'Ủy ban nhân dân phường "Mới"',
      aliases: ['Phường Mới', 'P. Mới'],
      kind: 'ward',
      province: 'son-la',
      focalPoint: { name: 'Lò Văn A', phone: '0212 3 852 000', email: 'a@sonla.gov.vn' },
    });
  });

  it('completes the commune list: imported communes join "UBND các xã, phường"', () => {
    const trimmed = Directory.fromData({ ...seed.data, agencies: seed.agencies.filter((a) => a.id !== 'son-la.ubnd-xa-muong-la') });
    const before = trimmed.expand('son-la.group.ubnd-cac-xa-phuong').length;
    const result = importAgenciesCsv(trimmed, `${HEADER}\nson-la.ubnd-xa-muong-la,Ủy ban nhân dân xã Mường La,Xã Mường La,commune,son-la,,,,\n`);
    expect(result.ok && result.directory.expand('son-la.group.ubnd-cac-xa-phuong').length).toBe(before + 1);
    expect(result.ok && result.events.map((event) => event.type)).toEqual(['AgencyAdded']);
  });

  it('reports every bad row with its line and reason, and imports nothing', () => {
    const csv = [
      HEADER,
      'son-la.ubnd-xa-moi-1,Ủy ban nhân dân xã Mới Một,,commune,son-la,,,,', // good
      'son-la.ubnd-xa-moi-2,,,commune,son-la,,,,', // no name
      'son-la.ubnd-xa-moi-3,Ủy ban nhân dân xã Mới Ba,,xã,son-la,,,,', // kind
      'bac-ninh.ubnd-xa-moi-4,Ủy ban nhân dân xã Mới Bốn,,commune,son-la,,,,', // id/province
      'son-la.ubnd-xa-moi-1,Ủy ban nhân dân xã Khác,,commune,son-la,,,,', // duplicate in file
      'son-la.so-tu-phap,Sở Tư pháp tỉnh Sơn La,,department,son-la,,,,', // already there
      'son-la.phong-x,Phòng X,,other,son-la,son-la.khong-co,,,', // parent
      'son-la.ubnd-xa-moi-8,Ủy ban nhân dân xã Mới Tám,,commune,son-la,,,,x@', // email without name, bad email
      'son-la.ubnd-xa-moi-9,Sở Tư pháp,,commune,son-la,,,,', // name taken
      'son-la.ubnd-xa-moi-10,Ủy ban nhân dân xã Mới, Mười,,commune,son-la,,,,', // unquoted comma
    ].join('\n');
    const result = importAgenciesCsv(seed, csv);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byLine = new Map<number, string[]>();
    for (const problem of result.problems) byLine.set(problem.line!, [...(byLine.get(problem.line!) ?? []), problem.reason]);
    expect([...byLine.keys()]).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(byLine.get(3)).toEqual([expect.stringContaining('official name is required')]);
    expect(byLine.get(4)).toEqual([expect.stringContaining('kind "xã"')]);
    expect(byLine.get(5)).toEqual([expect.stringContaining('must start with its province')]);
    expect(byLine.get(6)).toEqual([expect.stringContaining('more than once')]);
    expect(byLine.get(7)).toEqual([expect.stringContaining('already in the directory')]);
    expect(byLine.get(8)).toEqual([expect.stringContaining('parent "son-la.khong-co"')]);
    expect(byLine.get(9)).toEqual(expect.arrayContaining([expect.stringContaining('focal point name is required'), expect.stringContaining('email')]));
    expect(byLine.get(10)).toEqual([expect.stringContaining('already used by son-la.so-tu-phap')]);
    expect(byLine.get(11)).toEqual([expect.stringContaining('expected 9 fields, found 10')]);
    expect(seed.agency('son-la.ubnd-xa-moi-1')).toBeUndefined();
  });

  it('counts lines of a quoted field that spans lines', () => {
    const csv = `${HEADER}\nson-la.a,"Tên\nhai dòng",,other,son-la,,,,\nson-la.b,,,other,son-la,,,,\n`;
    const result = importAgenciesCsv(provincesOnly, csv);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.line)).toEqual([2, 4]);
  });

  it('refuses a file whose header is not the agency header', () => {
    const result = importAgenciesCsv(seed, 'id,name\nson-la.x,X\n');
    expect(!result.ok && result.problems).toEqual([{ line: 1, reason: expect.stringContaining('missing column(s) officialName') }]);
    expect(importAgenciesCsv(seed, '').ok).toBe(false);
  });

  it('reports a quote left open', () => {
    const result = importAgenciesCsv(provincesOnly, `${HEADER}\nson-la.a,"Không đóng,,other,son-la,,,,\n`);
    expect(!result.ok && result.problems).toEqual([{ line: 2, reason: 'a quoted field is not closed' }]);
  });

  it('updates existing agencies in upsert mode, recording only real changes', () => {
    const csv = exportAgenciesCsv(seed, { province: 'bac-ninh' }).replace(
      'bac-ninh.so-tu-phap,Sở Tư pháp tỉnh Bắc Ninh,Sở Tư pháp,department,bac-ninh,bac-ninh.ubnd-tinh,,,',
      'bac-ninh.so-tu-phap,Sở Tư pháp tỉnh Bắc Ninh,Sở Tư pháp|STP,department,bac-ninh,bac-ninh.ubnd-tinh,Nguyễn Văn B,0222 000 000,',
    );
    expect(importAgenciesCsv(seed, csv).ok).toBe(false);
    const result = importAgenciesCsv(seed, csv, { mode: 'upsert' });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.updated).toBe(1);
    expect(result.unchanged).toBe(seed.agencies.filter((a) => a.province === 'bac-ninh').length - 1);
    expect(result.events).toEqual([{ type: 'AgencyUpdated', data: { agency: expect.objectContaining({ id: 'bac-ninh.so-tu-phap', aliases: ['Sở Tư pháp', 'STP'] }) } }]);
    expect(result.directory.getAgency('bac-ninh.so-tu-phap').focalPoint).toEqual({ name: 'Nguyễn Văn B', phone: '0222 000 000' });
  });
});

describe('JSON export and import', () => {
  it('round-trips the whole directory: provinces, agencies, groups', () => {
    const json = exportDirectoryJson(seed);
    const result = importDirectoryJson(Directory.empty(), json);
    if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 3)));
    expect(result.directory.data).toEqual(seed.data);
    expect(exportDirectoryJson(result.directory)).toBe(json);
    expect(Directory.replay(Directory.empty().data, result.events).data).toEqual(seed.data);
  });

  it('keeps retirements, which CSV cannot carry', () => {
    const retired = Directory.fromData({
      ...provincesOnly.data,
      agencies: [
        { id: 'son-la.so-tai-chinh', officialName: 'Sở Tài chính tỉnh Sơn La', aliases: [], kind: 'department', province: 'son-la' },
        { id: 'son-la.so-ke-hoach-va-dau-tu', officialName: 'Sở Kế hoạch và Đầu tư tỉnh Sơn La', aliases: [], kind: 'department', province: 'son-la', retired: { on: '2025-03-01', mergedInto: 'son-la.so-tai-chinh' } },
      ],
    });
    const result = importDirectoryJson(Directory.empty(), exportDirectoryJson(retired));
    expect(result.ok && result.directory.data).toEqual(retired.data);
    expect(exportAgenciesCsv(retired)).not.toContain('so-ke-hoach-va-dau-tu');
  });

  it('reports problems by path and imports nothing', () => {
    const result = importDirectoryJson(provincesOnly, {
      agencies: [
        { id: 'son-la.a', officialName: 'A', kind: 'department', province: 'son-la' },
        { id: 'son-la.b', officialName: 'B', kind: 'nope', province: 'son-la' },
      ],
      groups: [{ id: 'son-la.group.g', name: 'G', province: 'son-la', members: { agencyIds: ['son-la.zzz'] } }],
    });
    expect(!result.ok && result.problems).toEqual([
      { path: 'agencies[1]', reason: expect.stringContaining('kind "nope"') },
      { path: 'groups[0]', reason: 'member "son-la.zzz" is not in the directory' },
    ]);
    expect(importDirectoryJson(provincesOnly, '{not json').ok).toBe(false);
    expect(importDirectoryJson(provincesOnly, { format: 'other' }).ok).toBe(false);
  });
});
