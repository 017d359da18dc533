import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProvinceId } from './agency';
import { seedCoverage, seedDirectory } from './seed-directory';

const directory = seedDirectory();

function resolvedId(name: string, province: ProvinceId): string {
  const resolution = directory.resolve(name, province);
  if (resolution.status !== 'matched') return `(${resolution.status})`;
  return resolution.type === 'agency' ? resolution.agency.id : resolution.group.id;
}

// Every agency and group the seed plans name, written as they are written there (trailing
// punctuation of list items included), with the id the plan means.
const SON_LA: [string, string][] = [
  ['Ủy ban nhân dân tỉnh', 'son-la.ubnd-tinh'],
  ['Chủ tịch Ủy ban nhân dân tỉnh', 'son-la.chu-tich-ubnd-tinh'],
  ['Quốc hội', 'national.quoc-hoi'],
  ['Công an tỉnh', 'son-la.cong-an-tinh'],
  ['Công an tỉnh.', 'son-la.cong-an-tinh'],
  ['Sở Tư pháp', 'son-la.so-tu-phap'],
  ['Sở Giáo dục và Đào tạo', 'son-la.so-giao-duc-va-dao-tao'],
  ['Sở Văn hóa, Thể thao và Du lịch', 'son-la.so-van-hoa-the-thao-va-du-lich'],
  ['Báo và Phát thanh, truyền hình Sơn La', 'son-la.bao-va-phat-thanh-truyen-hinh'],
  ['Bộ Chỉ huy Quân sự tỉnh.', 'son-la.bo-chi-huy-quan-su-tinh'],
  ['Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao', 'son-la.phong-an-ninh-mang-va-phong-chong-toi-pham-su-dung-cong-nghe-cao'],
  ['Bộ Công an', 'national.bo-cong-an'],
  ['Bộ Quốc phòng', 'national.bo-quoc-phong'],
  ['Thủ tướng Chính phủ', 'national.thu-tuong-chinh-phu'],
  ['Chính phủ', 'national.chinh-phu'],
  ['các sở, ban, ngành của tỉnh', 'son-la.group.cac-so-ban-nganh'],
  ['các sở, ban, ngành', 'son-la.group.cac-so-ban-nganh'],
  ['các đơn vị sự nghiệp công lập trực thuộc Ủy ban nhân dân tỉnh', 'son-la.group.don-vi-su-nghiep-cong-lap'],
  ['Ủy ban nhân dân các xã, phường', 'son-la.group.ubnd-cac-xa-phuong'],
  ['Ủy ban nhân dân các xã, phường.', 'son-la.group.ubnd-cac-xa-phuong'],
  ['Ủy ban nhân dân các xã, phường;', 'son-la.group.ubnd-cac-xa-phuong'],
  ['UBND các xã, phường', 'son-la.group.ubnd-cac-xa-phuong'],
  ['các cơ quan báo chí, phát thanh, truyền hình khác trên địa bàn tỉnh.', 'son-la.group.co-quan-bao-chi'],
  ['các cơ quan, tổ chức có liên quan', 'son-la.group.co-quan-lien-quan'],
  ['các cơ quan, đơn vị có liên quan.', 'son-la.group.co-quan-lien-quan'],
  ['các sở, ban, ngành, đơn vị dự toán cấp tỉnh', 'son-la.group.co-quan-don-vi-cap-tinh'],
];

const BAC_NINH: [string, string][] = [
  ['Thủ tướng Chính phủ', 'national.thu-tuong-chinh-phu'],
  ['Chủ tịch Ủy ban nhân dân tỉnh', 'bac-ninh.chu-tich-ubnd-tinh'],
  ['Ủy ban nhân dân tỉnh', 'bac-ninh.ubnd-tinh'],
  ['Công an tỉnh', 'bac-ninh.cong-an-tinh'],
  ['Sở Tư pháp', 'bac-ninh.so-tu-phap'],
  ['Sở Giáo dục và Đào tạo', 'bac-ninh.so-giao-duc-va-dao-tao'],
  ['Sở Văn hóa, Thể thao và Du lịch', 'bac-ninh.so-van-hoa-the-thao-va-du-lich'],
  ['Báo và Phát thanh truyền hình Bắc Ninh.', 'bac-ninh.bao-va-phat-thanh-truyen-hinh'],
  ['Bộ Chỉ huy quân sự tỉnh', 'bac-ninh.bo-chi-huy-quan-su-tinh'],
  ['Bộ Chỉ huy quân sự tỉnh.', 'bac-ninh.bo-chi-huy-quan-su-tinh'],
  ['Bộ Quốc phòng', 'national.bo-quoc-phong'],
  ['Chính phủ', 'national.chinh-phu'],
  ['Bộ, ngành Trung ương', 'national.group.bo-nganh-trung-uong'],
  ['Bộ Công an', 'national.bo-cong-an'],
  ['Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao¹', 'bac-ninh.phong-an-ninh-mang-va-phong-chong-toi-pham-su-dung-cong-nghe-cao'],
  ['các sở, ban, ngành tỉnh', 'bac-ninh.group.cac-so-ban-nganh'],
  ['Các sở, ban, ngành tỉnh', 'bac-ninh.group.cac-so-ban-nganh'],
  ['Các sở, ban, ngành tỉnh có liên quan', 'bac-ninh.group.cac-so-ban-nganh'],
  ['Ủy ban nhân dân các xã, phường', 'bac-ninh.group.ubnd-cac-xa-phuong'],
  ['Ủy ban nhân dân các xã, phường.', 'bac-ninh.group.ubnd-cac-xa-phuong'],
  ['UBND cấp xã', 'bac-ninh.group.ubnd-cac-xa-phuong'],
  ['các cơ quan, tổ chức có liên quan', 'bac-ninh.group.co-quan-lien-quan'],
  ['Các cơ quan có liên quan.', 'bac-ninh.group.co-quan-lien-quan'],
  ['các cơ quan, đơn vị cấp tỉnh', 'bac-ninh.group.co-quan-don-vi-cap-tinh'],
  // Nơi nhận (distribution list), items as printed.
  ['Văn phòng Chính phủ;', 'national.van-phong-chinh-phu'],
  ['Bộ Công an;', 'national.bo-cong-an'],
  ['Chủ tịch và các PCT UBND tỉnh;', 'bac-ninh.chu-tich-ubnd-tinh'],
  ['Các sở, ban, ngành tỉnh;', 'bac-ninh.group.cac-so-ban-nganh'],
  ['UBND các xã, phường;', 'bac-ninh.group.ubnd-cac-xa-phuong'],
  ['VP UBND tỉnh: CVP, TH;', 'bac-ninh.van-phong-ubnd-tinh'],
];

describe('the seed plans against the shipped directory', () => {
  it.each(SON_LA)('resolves "%s" in the Sơn La plan to %s', (name, id) => {
    expect(resolvedId(name, 'son-la')).toBe(id);
  });

  it.each(BAC_NINH)('resolves "%s" in the Bắc Ninh plan to %s', (name, id) => {
    expect(resolvedId(name, 'bac-ninh')).toBe(id);
  });

  it('finds each listed name in its seed plan as written (the list is not made up)', () => {
    const text = (file: string) => readFileSync(join(__dirname, '../../../test/fixtures/plans', file), 'utf8').normalize('NFC');
    const strip = (name: string) => name.replace(/[.;]$/, '').replace(/: CVP, TH$/, '');
    const sonLa = text('son-la-plan.txt');
    const bacNinh = text('bac-ninh-plan.txt');
    expect(SON_LA.map(([name]) => strip(name)).filter((name) => !sonLa.includes(name))).toEqual([]);
    expect(BAC_NINH.map(([name]) => strip(name)).filter((name) => !bacNinh.includes(name))).toEqual([]);
  });

  it('does not take a filing note of the distribution list for an agency', () => {
    expect(directory.resolve('Lưu: VT, NC.', 'bac-ninh')).toEqual({ status: 'unknown' });
  });

  it('records the focal point the Bắc Ninh plan gives for its cyber security unit', () => {
    expect(directory.agency('bac-ninh.phong-an-ninh-mang-va-phong-chong-toi-pham-su-dung-cong-nghe-cao')?.focalPoint).toEqual({
      name: 'Trần Thị Ánh Hằng',
      phone: '0399.306.333',
    });
  });
});

describe('the shipped directory', () => {
  it('has the fixed ids the plan parser relies on', () => {
    for (const province of ['son-la', 'bac-ninh']) {
      for (const slug of [
        'ubnd-tinh',
        'cong-an-tinh',
        'bo-chi-huy-quan-su-tinh',
        'so-tu-phap',
        'so-giao-duc-va-dao-tao',
        'so-van-hoa-the-thao-va-du-lich',
        'bao-va-phat-thanh-truyen-hinh',
        'van-phong-ubnd-tinh',
        'group.cac-so-ban-nganh',
        'group.ubnd-cac-xa-phuong',
        'group.don-vi-su-nghiep-cong-lap',
        'group.co-quan-lien-quan',
        'group.co-quan-bao-chi',
      ]) {
        expect(directory.find(`${province}.${slug}`)).toBeDefined();
      }
    }
    for (const id of ['national.bo-cong-an', 'national.bo-quoc-phong', 'national.thu-tuong-chinh-phu', 'national.van-phong-chinh-phu']) {
      expect(directory.find(id)).toBeDefined();
    }
  });

  it('has the standard departments of the 2025 model in both provinces', () => {
    for (const province of ['son-la', 'bac-ninh']) {
      for (const name of [
        'Sở Nội vụ',
        'Sở Tài chính',
        'Sở Tư pháp',
        'Sở Xây dựng',
        'Sở Công Thương',
        'Sở Nông nghiệp và Môi trường',
        'Sở Khoa học và Công nghệ',
        'Sở Giáo dục và Đào tạo',
        'Sở Y tế',
        'Sở Văn hóa, Thể thao và Du lịch',
        'Sở Dân tộc và Tôn giáo',
        'Thanh tra tỉnh',
        'Văn phòng UBND tỉnh',
        'Công an tỉnh',
        'Bộ Chỉ huy Quân sự tỉnh',
      ]) {
        expect([name, directory.resolve(name, province).status]).toEqual([name, 'matched']);
      }
    }
  });

  it('ships as many communes and wards as its coverage note says, against 75 for Sơn La and 99 for Bắc Ninh', () => {
    const coverage = Object.fromEntries(seedCoverage().map((c) => [c.province, c]));
    for (const [province, expected] of [['son-la', 75], ['bac-ninh', 99]] as const) {
      const counts = directory.counts(province);
      const note = coverage[province].communesAndWards!;
      expect(note.expected).toBe(expected);
      expect(counts.communes + counts.wards).toBe(note.shipped);
      expect(counts.communes).toBe(note.communes);
      expect(counts.wards).toBe(note.wards);
      expect(directory.expand(`${province}.group.ubnd-cac-xa-phuong`)).toHaveLength(note.shipped);
    }
  });

  it('resolves a ward by its name with or without "UBND"', () => {
    expect(resolvedId('Phường Tô Hiệu', 'son-la')).toBe('son-la.ubnd-phuong-to-hieu');
    expect(resolvedId('UBND phường Tô Hiệu', 'son-la')).toBe('son-la.ubnd-phuong-to-hieu');
    expect(resolvedId('Ủy ban nhân dân xã Nếnh', 'bac-ninh')).toBe('(unknown)');
    expect(resolvedId('Ủy ban nhân dân phường Nếnh', 'bac-ninh')).toBe('bac-ninh.ubnd-phuong-nenh');
  });

  it('resolves names of departments merged whole in 2025 to the department that took them over', () => {
    expect(resolvedId('Sở Kế hoạch và Đầu tư', 'son-la')).toBe('son-la.so-tai-chinh');
    expect(resolvedId('Sở Tài nguyên và Môi trường tỉnh Bắc Ninh', 'bac-ninh')).toBe('bac-ninh.so-nong-nghiep-va-moi-truong');
    expect(resolvedId('Bộ Kế hoạch và Đầu tư', 'son-la')).toBe('national.bo-tai-chinh');
  });
});

describe('resolving the lists the seed plans write', () => {
  const resolvedIds = (text: string, province: ProvinceId) =>
    directory.resolveList(text, province).map(({ text: piece, resolution }) =>
      resolution.status === 'matched' ? (resolution.type === 'agency' ? resolution.agency.id : resolution.group.id) : `${resolution.status}: ${piece}`,
    );

  it('splits the Sơn La coordinators of task 1 although names hold commas and "và"', () => {
    expect(
      resolvedIds(
        'Sở Tư pháp; Sở Giáo dục và Đào tạo; Sở Văn hóa, Thể thao và Du lịch; Báo và Phát thanh, truyền hình Sơn La; Ủy ban nhân dân các xã, phường và các cơ quan báo chí, phát thanh, truyền hình khác trên địa bàn tỉnh.',
        'son-la',
      ),
    ).toEqual([
      'son-la.so-tu-phap',
      'son-la.so-giao-duc-va-dao-tao',
      'son-la.so-van-hoa-the-thao-va-du-lich',
      'son-la.bao-va-phat-thanh-truyen-hinh',
      'son-la.group.ubnd-cac-xa-phuong',
      'son-la.group.co-quan-bao-chi',
    ]);
  });

  it('splits the Bắc Ninh implementers of task 1, separated by commas only', () => {
    expect(resolvedIds('Công an tỉnh, Sở Tư pháp, Sở Giáo dục và Đào tạo, Sở Văn hóa, Thể thao và Du lịch, Báo và Phát thanh truyền hình Bắc Ninh.', 'bac-ninh')).toEqual([
      'bac-ninh.cong-an-tinh',
      'bac-ninh.so-tu-phap',
      'bac-ninh.so-giao-duc-va-dao-tao',
      'bac-ninh.so-van-hoa-the-thao-va-du-lich',
      'bac-ninh.bao-va-phat-thanh-truyen-hinh',
    ]);
    expect(resolvedIds('Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường và các cơ quan, tổ chức có liên quan.', 'bac-ninh')).toEqual([
      'bac-ninh.group.cac-so-ban-nganh',
      'bac-ninh.group.ubnd-cac-xa-phuong',
      'bac-ninh.group.co-quan-lien-quan',
    ]);
  });

  it('keeps what names nothing, in one piece', () => {
    expect(resolvedIds('Công an tỉnh; Hội Nông dân tỉnh, Đoàn Thanh niên; Sở Y tế', 'son-la')).toEqual([
      'son-la.cong-an-tinh',
      'unknown: Hội Nông dân tỉnh, Đoàn Thanh niên',
      'son-la.so-y-te',
    ]);
  });
});
