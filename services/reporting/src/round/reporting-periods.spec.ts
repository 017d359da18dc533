import { periodicRounds, roundIdOf } from './reporting-periods';

describe('rounds from a plan’s reporting rules', () => {
  it('asks Sơn La for its yearly report before 15 November, on the year up to the day before', () => {
    expect(periodicRounds('p', '2026-04-20', [{ frequency: 'yearly', dueMonthDay: '11-15', recipient: null }], '2026-05-01')).toEqual([
      { roundId: roundIdOf('p', 'yearly', '2026'), kind: 'yearly', title: 'Báo cáo kết quả thực hiện năm 2026', period: { from: '2026-01-01', to: '2026-11-14' }, dueBefore: '2026-11-15' },
    ]);
  });

  it('asks Bắc Ninh before 15 January for the calendar year before, one round per year since the plan', () => {
    const rounds = periodicRounds('p', '2026-04-20', [{ frequency: 'yearly', dueMonthDay: '01-15', recipient: null }, { frequency: 'adhoc', dueMonthDay: null, recipient: null }], '2027-03-01');
    expect(rounds.map((r) => [r.title, r.period, r.dueBefore])).toEqual([
      ['Báo cáo kết quả thực hiện năm 2026', { from: '2026-01-01', to: '2026-12-31' }, '2027-01-15'],
      ['Báo cáo kết quả thực hiện năm 2027', { from: '2027-01-01', to: '2027-12-31' }, '2028-01-15'],
    ]);
  });

  it('cuts semiannual and quarterly periods by the calendar, due 15 days after, only those begun', () => {
    const semi = periodicRounds('p', '2026-01-10', [{ frequency: 'semiannual', dueMonthDay: null, recipient: null }], '2026-08-01');
    expect(semi.map((r) => [r.title, r.period.to, r.dueBefore])).toEqual([
      ['Báo cáo kết quả thực hiện 6 tháng đầu năm 2026', '2026-06-30', '2026-07-16'],
      ['Báo cáo kết quả thực hiện 6 tháng cuối năm 2026', '2026-12-31', '2027-01-16'],
    ]);
    expect(periodicRounds('p', '2026-01-10', [{ frequency: 'quarterly', dueMonthDay: null, recipient: null }], '2026-04-01').map((r) => r.period)).toEqual([
      { from: '2026-01-01', to: '2026-03-31' }, { from: '2026-04-01', to: '2026-06-30' },
    ]);
  });
});
