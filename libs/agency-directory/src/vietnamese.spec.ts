import { matchKey, searchKey, slugify } from './vietnamese';

describe('matchKey', () => {
  it.each([
    ['hoà', 'hòa'],
    ['thuỷ', 'thủy'],
    ['khoẻ', 'khỏe'],
    ['Hoá', 'Hóa'],
    ['Uỷ ban', 'Ủy ban'],
    ['Sở Văn hoá, Thể thao và Du lịch', 'Sở Văn hóa, Thể thao và Du lịch'],
  ])('does not care where the tone mark sits: %s = %s', (oldStyle, newStyle) => {
    expect(matchKey(oldStyle)).toBe(matchKey(newStyle));
  });

  it('treats composed and decomposed text alike', () => {
    const composed = 'Sở Giáo dục và Đào tạo'.normalize('NFC');
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(matchKey(decomposed)).toBe(matchKey(composed));
  });

  it('ignores case, including Đ', () => {
    expect(matchKey('BỘ CHỈ HUY QUÂN SỰ TỈNH')).toBe(matchKey('Bộ Chỉ huy quân sự tỉnh'));
    expect(matchKey('ĐÀO TẠO')).toBe(matchKey('đào tạo'));
  });

  it('keeps the tone apart: different tones are different words', () => {
    expect(matchKey('ma')).not.toBe(matchKey('má'));
    expect(matchKey('má')).not.toBe(matchKey('mà'));
    expect(matchKey('Sơn')).not.toBe(matchKey('Son'));
  });

  it('keeps circumflex, breve, horn and đ', () => {
    expect(matchKey('Đồng')).toBe('đông2');
    expect(matchKey('Bắc')).toBe('băc1');
    expect(matchKey('Mường')).toBe('mương2');
    expect(matchKey('Đồng')).not.toBe(matchKey('Dong'));
  });

  it('collapses spacing and drops trailing punctuation and surrounding quotes or brackets', () => {
    const key = matchKey('Sở Tư pháp');
    expect(matchKey('  Sở   Tư\tpháp ')).toBe(key);
    expect(matchKey('Sở Tư pháp.')).toBe(key);
    expect(matchKey('Sở Tư pháp;')).toBe(key);
    expect(matchKey('Sở Tư pháp,')).toBe(key);
    expect(matchKey('Sở Tư pháp:')).toBe(key);
    expect(matchKey('"Sở Tư pháp"')).toBe(key);
    expect(matchKey('“Sở Tư pháp”')).toBe(key);
    expect(matchKey('(Sở Tư pháp)')).toBe(key);
    expect(matchKey('- Sở Tư pháp;')).toBe(key);
  });

  it('drops a footnote mark after a name', () => {
    expect(matchKey('Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao¹')).toBe(
      matchKey('Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao'),
    );
  });

  it('reads commas inside a name as spaces, so the comma may be left out', () => {
    expect(matchKey('Báo và Phát thanh truyền hình Bắc Ninh')).toBe(matchKey('Báo và Phát thanh, truyền hình Bắc Ninh'));
    expect(matchKey('Sở Văn hóa Thể thao và Du lịch')).toBe(matchKey('Sở Văn hóa, Thể thao và Du lịch'));
  });

  it('expands UBND, HĐND and VP as whole words', () => {
    expect(matchKey('UBND tỉnh')).toBe(matchKey('Ủy ban nhân dân tỉnh'));
    expect(matchKey('UBND các xã, phường')).toBe(matchKey('Uỷ ban nhân dân các xã, phường'));
    expect(matchKey('HĐND tỉnh')).toBe(matchKey('Hội đồng nhân dân tỉnh'));
    expect(matchKey('VP UBND tỉnh')).toBe(matchKey('Văn phòng Ủy ban nhân dân tỉnh'));
    expect(matchKey('Chủ tịch và các PCT UBND tỉnh')).toBe(matchKey('Chủ tịch và các Phó Chủ tịch Ủy ban nhân dân tỉnh'));
  });

  it('leaves abbreviation letters inside longer words alone', () => {
    expect(matchKey('VPCP')).toBe('vpcp');
    expect(matchKey('UBNDX')).toBe('ubndx');
  });

  it('reads & as "và"', () => {
    expect(matchKey('Sở Giáo dục & Đào tạo')).toBe(matchKey('Sở Giáo dục và Đào tạo'));
  });
});

describe('searchKey', () => {
  it('drops every diacritic and đ, so "son la" finds "Sơn La"', () => {
    expect(searchKey('Công an tỉnh Sơn La')).toBe('cong an tinh son la');
    expect(searchKey('Phường Đa Mai')).toBe('phuong da mai');
    expect(searchKey('Sở Văn hoá, Thể thao và Du lịch'.normalize('NFD'))).toBe('so van hoa the thao va du lich');
  });
});

describe('slugify', () => {
  it('gives ASCII kebab-case', () => {
    expect(slugify('Sở Văn hóa, Thể thao và Du lịch')).toBe('so-van-hoa-the-thao-va-du-lich');
    expect(slugify('UBND tỉnh')).toBe('ubnd-tinh');
    expect(slugify('Bộ Chỉ huy Quân sự tỉnh')).toBe('bo-chi-huy-quan-su-tinh');
    expect(slugify('  Đoàn Kết! ')).toBe('doan-ket');
  });
});
