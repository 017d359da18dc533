import { parseTimeline } from './timeline';

const read = (text: string) => parseTimeline(text).timeline;
const none = { dueBefore: null, dueMonthDay: null, fromYear: null, gate: null, dependsOn: null };

describe('reading a timeline', () => {
  it('is due before the day named after "trước ngày", in digits or in words', () => {
    expect(read('trước ngày 20/5/2026.')).toEqual({ ...none, kind: 'fixed', dueBefore: '2026-05-20', text: 'trước ngày 20/5/2026' });
    expect(read('Trước ngày 01 tháng 7 năm 2026').dueBefore).toBe('2026-07-01');
    expect(read('Trước ngày 31 tháng 12 năm 2026').dueBefore).toBe('2026-12-31');
  });

  it('includes a day named without "trước": due before the next day begins', () => {
    expect(read('Hoàn thành ngày 20/5/2026').dueBefore).toBe('2026-05-21');
    expect(read('đến ngày 31/12/2026').dueBefore).toBe('2027-01-01');
  });

  it('is due by the day after a quarter, month, half-year or year ends', () => {
    expect(read('Quý III/2026').dueBefore).toBe('2026-10-01');
    expect(read('Quý IV năm 2026').dueBefore).toBe('2027-01-01');
    expect(read('quý 1/2027').dueBefore).toBe('2027-04-01');
    expect(read('Tháng 9 năm 2026').dueBefore).toBe('2026-10-01');
    expect(read('tháng 12/2026').dueBefore).toBe('2027-01-01');
    expect(read('6 tháng đầu năm 2026').dueBefore).toBe('2026-07-01');
    expect(read('Trong năm 2026')).toEqual({ ...none, kind: 'fixed', dueBefore: '2027-01-01', text: 'Trong năm 2026' });
  });

  it('is due when a month or quarter begins after "trước"', () => {
    expect(read('trước tháng 9/2026').dueBefore).toBe('2026-09-01');
    expect(read('Trước Quý III/2026').dueBefore).toBe('2026-07-01');
  });

  it('recurs yearly from a year, with a day of the year when one is given', () => {
    expect(read('Năm 2026 và những năm tiếp theo')).toEqual({
      ...none,
      kind: 'recurring',
      fromYear: 2026,
      text: 'Năm 2026 và những năm tiếp theo',
    });
    expect(read('Từ năm 2027, trước ngày 15/11 hằng năm')).toMatchObject({ kind: 'recurring', fromYear: 2027, dueMonthDay: '11-15' });
    expect(read('Hằng năm')).toMatchObject({ kind: 'recurring', fromYear: null });
  });

  it('keeps the gate of work that starts after an external event, with its year or deadline', () => {
    expect(read('năm 2026 và các năm tiếp theo (sau khi Bộ Công an tổ chức tập huấn)'.normalize('NFD'))).toEqual({
      ...none,
      kind: 'gated',
      fromYear: 2026,
      gate: 'sau khi Bộ Công an tổ chức tập huấn',
      text: 'năm 2026 và các năm tiếp theo (sau khi Bộ Công an tổ chức tập huấn)',
    });
    expect(read('Trước ngày 31/12/2026, sau khi Chính phủ ban hành Nghị định')).toMatchObject({
      kind: 'gated',
      dueBefore: '2026-12-31',
      gate: 'sau khi Chính phủ ban hành Nghị định',
    });
  });

  it('depends on another case for its date', () => {
    expect(read('theo tiến độ dự thảo Nghị định')).toEqual({
      ...none,
      kind: 'dependent',
      dependsOn: 'dự thảo Nghị định',
      text: 'theo tiến độ dự thảo Nghị định',
    });
    expect(read('Khi có yêu cầu')).toMatchObject({ kind: 'dependent', dependsOn: 'Khi có yêu cầu' });
  });

  it('is ongoing when continuous, unspecified when it says nothing it can read', () => {
    expect(read('Thường xuyên').kind).toBe('ongoing');
    expect(read('Theo chỉ đạo').kind).toBe('unspecified');
  });

  it('never accepts a day that does not exist', () => {
    expect(parseTimeline('trước ngày 31/2/2026')).toEqual({
      timeline: { ...none, kind: 'unspecified', text: 'trước ngày 31/2/2026' },
      invalidDates: ['ngày 31/2/2026'],
    });
    expect(parseTimeline('ngày 30 tháng 2 năm 2026').invalidDates).toEqual(['ngày 30 tháng 2 năm 2026']);
    expect(parseTimeline('Tháng 13 năm 2026').invalidDates).toEqual(['Tháng 13 năm 2026']);
    expect(parseTimeline('trước ngày 29/2/2028').timeline.dueBefore).toBe('2028-02-29');
  });
});
