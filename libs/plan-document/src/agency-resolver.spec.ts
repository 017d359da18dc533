import { StandardNamesResolver, firstMatch, provinceSlug } from './agency-resolver';
import { nameKey, slugOf } from './vietnamese-text';

const sonLa = new StandardNamesResolver('son-la');
const id = (name: string, resolver = sonLa) => {
  const answer = resolver.resolve(name);
  return answer && 'agencyId' in answer ? answer.agencyId : answer;
};

describe('standard agency names', () => {
  it('give the fixed ids of provincial bodies, groups and national bodies', () => {
    expect(
      [
        'Công an tỉnh',
        'Bộ Chỉ huy Quân sự tỉnh',
        'Sở Tư pháp',
        'Sở Giáo dục và Đào tạo',
        'Sở Văn hóa, Thể thao và Du lịch',
        'Báo và Phát thanh, truyền hình Sơn La',
        'Ủy ban nhân dân tỉnh',
        'các sở, ban, ngành của tỉnh',
        'Ủy ban nhân dân các xã, phường',
        'các đơn vị sự nghiệp công lập trực thuộc Ủy ban nhân dân tỉnh',
        'các cơ quan, đơn vị có liên quan',
        'các cơ quan báo chí, phát thanh, truyền hình khác trên địa bàn tỉnh',
        'Bộ Công an',
        'Bộ Quốc phòng',
        'Thủ tướng Chính phủ',
        'Văn phòng Chính phủ',
      ].map((n) => id(n)),
    ).toEqual([
      'son-la.cong-an-tinh',
      'son-la.bo-chi-huy-quan-su-tinh',
      'son-la.so-tu-phap',
      'son-la.so-giao-duc-va-dao-tao',
      'son-la.so-van-hoa-the-thao-va-du-lich',
      'son-la.bao-va-phat-thanh-truyen-hinh',
      'son-la.ubnd-tinh',
      'son-la.group.cac-so-ban-nganh',
      'son-la.group.ubnd-cac-xa-phuong',
      'son-la.group.don-vi-su-nghiep-cong-lap',
      'son-la.group.co-quan-lien-quan',
      'son-la.group.co-quan-bao-chi',
      'national.bo-cong-an',
      'national.bo-quoc-phong',
      'national.thu-tuong-chinh-phu',
      'national.van-phong-chinh-phu',
    ]);
    expect(sonLa.resolve('các sở, ban, ngành tỉnh')).toEqual({ agencyId: 'son-la.group.cac-so-ban-nganh', group: true });
    expect(sonLa.resolve('Sở Tư pháp')).toEqual({ agencyId: 'son-la.so-tu-phap', group: false });
  });

  it('ignore case, NFD, tone placement, "UBND", spacing, trailing punctuation and the province name', () => {
    const variants = [
      'SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH',
      'Sở Văn hoá, Thể thao và Du lịch',
      'Sở Văn hóa, Thể thao và Du lịch'.normalize('NFD'),
      '  Sở  Văn hóa,Thể thao và Du lịch ;',
      'Sở Văn hóa Thể thao và Du lịch tỉnh Sơn La.',
    ];
    expect(variants.map((n) => id(n))).toEqual(variants.map(() => 'son-la.so-van-hoa-the-thao-va-du-lich'));
    expect(['UBND tỉnh', 'Uỷ ban nhân dân tỉnh Sơn La', 'ủy ban nhân dân tỉnh'].map((n) => id(n))).toEqual([
      'son-la.ubnd-tinh',
      'son-la.ubnd-tinh',
      'son-la.ubnd-tinh',
    ]);
    expect(id('UBND cấp xã')).toBe('son-la.group.ubnd-cac-xa-phuong');
    expect(id('Công an tỉnh Sơn La')).toBe('son-la.cong-an-tinh');
  });

  it('never guess: unknown names, other provinces and near misses get no id', () => {
    expect(id('Trung tâm Lưu trữ tỉnh')).toBeNull();
    expect(id('Công an tỉnh Bắc Ninh')).toBeNull();
    expect(id('Số Tư pháp')).toBeNull();
    expect(id('Sở')).toBeNull();
    expect(id('Công an tỉnh', new StandardNamesResolver(null))).toBeNull();
    expect(id('Bộ Công an', new StandardNamesResolver(null))).toBe('national.bo-cong-an');
  });

  it('come after a directory that knows better, and pass on its ambiguities', () => {
    const directory = { resolve: (n: string) => (n === 'Sở Tư pháp' ? { ambiguous: ['x', 'y'] } : null) };
    const resolver = firstMatch(directory, sonLa);
    expect(resolver.resolve('Sở Tư pháp')).toEqual({ ambiguous: ['x', 'y'] });
    expect(resolver.resolve('Công an tỉnh')).toEqual({ agencyId: 'son-la.cong-an-tinh', group: false });
  });

  it('build ids from ASCII kebab names and know the provinces', () => {
    expect(slugOf('Sở Lao động - Thương binh và Xã hội')).toBe('so-lao-dong-thuong-binh-va-xa-hoi');
    expect(slugOf('Văn phòng Ủy ban nhân dân tỉnh')).toBe('van-phong-ubnd-tinh');
    expect([provinceSlug('Sơn La'), provinceSlug('BẮC NINH'), provinceSlug('Đắk Lắk'), provinceSlug('Atlantis')]).toEqual([
      'son-la',
      'bac-ninh',
      'dak-lak',
      null,
    ]);
    expect(nameKey('hoà')).toBe(nameKey('hòa'));
    expect(nameKey('thuỷ')).toBe(nameKey('thủy'));
    expect(nameKey('hoà')).not.toBe(nameKey('hoá'));
  });
});
