import { nameKey, plainKey, slugOf } from './vietnamese-text';

export interface AgencyMatch {
  agencyId: string;
  group: boolean;
}

/**
 * Turns an agency name as written in a plan into an agency id. The directory lib answers from its
 * data; `StandardNamesResolver` answers from the names every province uses, so a plan parses with
 * no directory at all. Ids: `<province>.<slug>`, `<province>.group.<slug>`, `national.<slug>`.
 */
export interface AgencyResolver {
  resolve(name: string): AgencyMatch | { ambiguous: string[] } | null;
}

/** The first resolver with an answer (a match or an ambiguity) decides. */
export function firstMatch(...resolvers: AgencyResolver[]): AgencyResolver {
  return {
    resolve(name) {
      for (const resolver of resolvers) {
        const answer = resolver.resolve(name);
        if (answer) return answer;
      }
      return null;
    },
  };
}

/** The 34 provincial-level units since 1 July 2025. */
export const PROVINCES: readonly string[] = [
  'Hà Nội', 'Huế', 'Lai Châu', 'Điện Biên', 'Sơn La', 'Lạng Sơn', 'Quảng Ninh', 'Thanh Hóa', 'Nghệ An',
  'Hà Tĩnh', 'Cao Bằng', 'Tuyên Quang', 'Lào Cai', 'Thái Nguyên', 'Phú Thọ', 'Bắc Ninh', 'Hưng Yên',
  'Hải Phòng', 'Ninh Bình', 'Quảng Trị', 'Đà Nẵng', 'Quảng Ngãi', 'Gia Lai', 'Khánh Hòa', 'Lâm Đồng',
  'Đắk Lắk', 'Hồ Chí Minh', 'Đồng Nai', 'Tây Ninh', 'Cần Thơ', 'Vĩnh Long', 'Đồng Tháp', 'Cà Mau', 'An Giang',
];

/** The province a name like "Sơn La" or "SƠN LA" stands for, as its slug, or null. */
export function provinceSlug(name: string): string | null {
  const key = nameKey(name);
  const province = PROVINCES.find((p) => nameKey(p) === key);
  return province ? slugOf(province) : null;
}

const NATIONAL_BODIES = [
  'Chính phủ', 'Thủ tướng Chính phủ', 'Văn phòng Chính phủ', 'Quốc hội', 'Thanh tra Chính phủ',
  'Bộ Công an', 'Bộ Quốc phòng', 'Bộ Tư pháp', 'Bộ Nội vụ', 'Bộ Tài chính', 'Bộ Ngoại giao',
  'Bộ Công Thương', 'Bộ Giáo dục và Đào tạo', 'Bộ Y tế', 'Bộ Xây dựng', 'Bộ Nông nghiệp và Môi trường',
  'Bộ Khoa học và Công nghệ', 'Bộ Văn hóa, Thể thao và Du lịch', 'Bộ Dân tộc và Tôn giáo',
  'Ngân hàng Nhà nước Việt Nam',
];

/** Names without the province's name; "tỉnh" stays where the name has it ("Công an tỉnh"). */
const PROVINCIAL_BODIES = [
  'Ủy ban nhân dân tỉnh', 'Hội đồng nhân dân tỉnh', 'Văn phòng Ủy ban nhân dân tỉnh',
  'Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh', 'Công an tỉnh', 'Bộ Chỉ huy Quân sự tỉnh',
  'Bộ Chỉ huy Bộ đội Biên phòng tỉnh', 'Thanh tra tỉnh', 'Sở Nội vụ', 'Sở Tài chính', 'Sở Tư pháp',
  'Sở Công Thương', 'Sở Giáo dục và Đào tạo', 'Sở Y tế', 'Sở Xây dựng', 'Sở Nông nghiệp và Môi trường',
  'Sở Khoa học và Công nghệ', 'Sở Văn hóa, Thể thao và Du lịch', 'Sở Văn hóa và Thể thao', 'Sở Du lịch',
  'Sở Ngoại vụ', 'Sở Dân tộc và Tôn giáo',
  // Departments merged in 2025 that older plans still name.
  'Sở Thông tin và Truyền thông', 'Sở Kế hoạch và Đầu tư', 'Sở Tài nguyên và Môi trường',
  'Sở Nông nghiệp và Phát triển nông thôn', 'Sở Giao thông vận tải', 'Sở Lao động - Thương binh và Xã hội',
  'Ban Dân tộc', 'Ban Quản lý các khu công nghiệp', 'Báo và Phát thanh, truyền hình', 'Đài Phát thanh và Truyền hình',
  'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', 'Viện kiểm sát nhân dân tỉnh', 'Tòa án nhân dân tỉnh',
  'Trường Chính trị tỉnh', 'Thuế tỉnh', 'Bảo hiểm xã hội tỉnh', 'Tỉnh đoàn', 'Hội Liên hiệp Phụ nữ tỉnh',
  'Liên đoàn Lao động tỉnh', 'Hội Nông dân tỉnh', 'Hội Cựu chiến binh tỉnh',
];

const PROVINCIAL_ALIASES: Record<string, string> = {
  'VP Ủy ban nhân dân tỉnh': 'Văn phòng Ủy ban nhân dân tỉnh',
  'Văn phòng HĐND và UBND tỉnh': 'Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh',
};

/**
 * Groups are matched by pattern over the folded name (no tones, no punctuation), since plans write
 * them many ways: "các sở, ban, ngành của tỉnh", "Các sở, ban, ngành tỉnh có liên quan", "UBND cấp xã".
 */
const GROUPS: { slug: string; pattern: RegExp }[] = [
  {
    slug: 'cac-so-ban-nganh',
    pattern:
      /^(cac )?(so ban nganh|so nganh|so ban nganh doan the|co quan chuyen mon)( (cua|thuoc|cap|truc thuoc) tinh| tinh| (truc thuoc|thuoc) ubnd tinh)?( co lien quan| lien quan)?$/,
  },
  {
    slug: 'ubnd-cac-xa-phuong',
    pattern: /^(ubnd (cac )?(xa phuong( dac khu| thi tran)?|cap xa)|(cac )?xa phuong( dac khu)?)( co lien quan| lien quan)?$/,
  },
  {
    slug: 'don-vi-su-nghiep-cong-lap',
    pattern: /^(cac )?don vi su nghiep( cong lap)?( (truc thuoc|thuoc) (ubnd )?tinh)?( co lien quan| lien quan)?$/,
  },
  {
    slug: 'co-quan-lien-quan',
    pattern: /^(cac )?(co quan|don vi|to chuc|dia phuong)( (co quan|don vi|to chuc|dia phuong))* (co )?lien quan$/,
  },
  {
    slug: 'co-quan-bao-chi',
    pattern: /^(cac )?co quan (thong tan )?bao chi( phat thanh truyen hinh)?( khac)?( tren dia ban( tinh)?)?$/,
  },
];

function groupKey(name: string): string {
  return plainKey(name).replace(/(^| )uy ban nhan dan( |$)/g, '$1ubnd$2');
}

function indexBy(names: string[], id: (name: string) => string, aliases: Record<string, string> = {}) {
  const index = new Map<string, string>();
  for (const name of names) {
    index.set(nameKey(name), id(name));
    // "Sở Tư pháp tỉnh" is "Sở Tư pháp".
    if (!/ tỉnh$/.test(name)) index.set(nameKey(`${name} tỉnh`), id(name));
  }
  for (const [alias, name] of Object.entries(aliases)) index.set(nameKey(alias), id(name));
  return index;
}

const NATIONAL_INDEX = indexBy(NATIONAL_BODIES, (name) => `national.${slugOf(name)}`);
const PROVINCIAL_INDEX = indexBy(PROVINCIAL_BODIES, slugOf, PROVINCIAL_ALIASES);

/** The standard names of national bodies, provincial departments and groups, for one province. */
export class StandardNamesResolver implements AgencyResolver {
  private readonly provinceKey: string | null;

  /** `province` is a slug ("son-la"); null knows national bodies only. */
  constructor(private readonly province: string | null) {
    const name = province ? PROVINCES.find((p) => slugOf(p) === province) : undefined;
    this.provinceKey = name ? nameKey(name) : null;
  }

  resolve(name: string): AgencyMatch | null {
    const key = nameKey(name);
    const national = NATIONAL_INDEX.get(key);
    if (national) return { agencyId: national, group: false };
    if (!this.province) return null;

    const local = this.withoutProvinceName(key);
    const slug = PROVINCIAL_INDEX.get(local);
    if (slug) return { agencyId: `${this.province}.${slug}`, group: false };

    const plain = groupKey(name);
    const group = GROUPS.find((g) => g.pattern.test(plain));
    return group ? { agencyId: `${this.province}.group.${group.slug}`, group: true } : null;
  }

  /** "Công an tỉnh Sơn La" → "Công an tỉnh"; "Báo và Phát thanh, truyền hình Sơn La" → without "Sơn La". */
  private withoutProvinceName(key: string): string {
    if (!this.provinceKey || !key.endsWith(` ${this.provinceKey}`)) return key;
    return key.slice(0, -this.provinceKey.length - 1);
  }
}
