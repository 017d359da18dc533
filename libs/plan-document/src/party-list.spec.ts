import { StandardNamesResolver } from './agency-resolver';
import { parsePartyList } from './party-list';

const resolver = new StandardNamesResolver('son-la');
const names = (text: string, role: 'lead' | 'implementers' | 'coordinators' = 'coordinators') => {
  const list = parsePartyList(text, role, resolver);
  return {
    lead: list.lead.map((p) => p.name),
    implementers: list.implementers.map((p) => p.name),
    coordinators: list.coordinators.map((p) => p.name),
    problems: list.problems.map((p) => p.code),
  };
};
const only = (role: 'lead' | 'implementers' | 'coordinators', list: string[]) => ({
  lead: [],
  implementers: [],
  coordinators: [],
  problems: [],
  [role]: list,
});

describe('splitting a list of agencies', () => {
  it('keeps the commas and "và" inside known names', () => {
    expect(
      names(
        'Sở Tư pháp; Sở Giáo dục và Đào tạo; Sở Văn hóa, Thể thao và Du lịch; Báo và Phát thanh, truyền hình Sơn La; ' +
          'Ủy ban nhân dân các xã, phường và các cơ quan báo chí, phát thanh, truyền hình khác trên địa bàn tỉnh.',
      ),
    ).toEqual(
      only('coordinators', [
        'Sở Tư pháp',
        'Sở Giáo dục và Đào tạo',
        'Sở Văn hóa, Thể thao và Du lịch',
        'Báo và Phát thanh, truyền hình Sơn La',
        'Ủy ban nhân dân các xã, phường',
        'các cơ quan báo chí, phát thanh, truyền hình khác trên địa bàn tỉnh',
      ]),
    );
    expect(names('Công an tỉnh, Sở Tư pháp, Sở Văn hóa, Thể thao và Du lịch, các sở, ban, ngành tỉnh và UBND các xã, phường')).toEqual(
      only('coordinators', ['Công an tỉnh', 'Sở Tư pháp', 'Sở Văn hóa, Thể thao và Du lịch', 'các sở, ban, ngành tỉnh', 'UBND các xã, phường']),
    );
  });

  it('takes the agencies leading each clause of prose and skips what they do', () => {
    expect(
      names(
        'Công an tỉnh tiến hành rà soát các văn bản có liên quan, thuộc thẩm quyền; các sở, ban, ngành; UBND các xã, phường rà soát văn bản thuộc phạm vi, lĩnh vực quản lý',
        'lead',
      ),
    ).toEqual(only('lead', ['Công an tỉnh', 'các sở, ban, ngành', 'UBND các xã, phường']));
  });

  it('makes the agencies after "phối hợp (với)" coordinators', () => {
    expect(names('Công an tỉnh phối hợp các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường rà soát văn bản', 'implementers')).toEqual({
      ...only('implementers', ['Công an tỉnh']),
      coordinators: ['các sở, ban, ngành tỉnh', 'Ủy ban nhân dân các xã, phường'],
    });
    expect(names('Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ và Công an tỉnh', 'lead')).toEqual({
      ...only('lead', ['Sở Tư pháp']),
      coordinators: ['Sở Nội vụ', 'Công an tỉnh'],
    });
  });

  it('reports an unknown name once, whole, and reads "Không" as nobody', () => {
    expect(names('Trung tâm Lưu trữ và Thông tin tỉnh, Sở Tư pháp và Hội Luật gia tỉnh')).toEqual({
      ...only('coordinators', ['Trung tâm Lưu trữ và Thông tin tỉnh', 'Sở Tư pháp', 'Hội Luật gia tỉnh']),
      problems: ['AGENCY_UNKNOWN', 'AGENCY_UNKNOWN'],
    });
    expect(names('Không')).toEqual(only('coordinators', []));
  });
});
