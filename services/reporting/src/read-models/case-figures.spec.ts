import { caseFigures, categoryOf, CaseFacts } from './case-figures';

const open = (dueBefore: string | null, status = 'assigned'): CaseFacts => ({ status, dueBefore, doneOn: null, acceptedOn: null, cancelledOn: null });
const done = (dueBefore: string | null, doneOn: string, acceptedOn = doneOn): CaseFacts => ({ status: 'accepted', dueBefore, doneOn, acceptedOn, cancelledOn: null });

describe('the four categories of a case', () => {
  it('counts work handed in before its due day began as done on time, even when accepted later', () => {
    expect(categoryOf(done('2026-05-20', '2026-05-19', '2026-05-25'), '2026-06-01')).toBe('doneOnTime');
    expect(categoryOf(done('2026-05-20', '2026-05-20'), '2026-06-01')).toBe('doneLate');
    expect(categoryOf(done(null, '2026-12-30'), '2026-12-31')).toBe('doneOnTime');
  });

  it('is open until accepted, as of the day asked about', () => {
    expect(categoryOf(done('2026-05-20', '2026-05-19', '2026-05-25'), '2026-05-22')).toBe('openOverdue');
    expect(categoryOf(done('2026-05-20', '2026-05-19', '2026-05-19'), '2026-05-18')).toBe('openOnTime');
    expect(categoryOf(open('2026-05-20'), '2026-05-19')).toBe('openOnTime');
    expect(categoryOf(open('2026-05-20'), '2026-05-20')).toBe('openOverdue');
    expect(categoryOf(open(null, 'waiting'), '2027-01-01')).toBe('openOnTime');
  });

  it('leaves cancelled cases out from the day they were cancelled', () => {
    const cancelled = { ...open('2026-05-20', 'cancelled'), cancelledOn: '2026-06-01' };
    expect(categoryOf(cancelled, '2026-06-01')).toBeNull();
    expect(categoryOf(cancelled, '2026-05-25')).toBe('openOverdue');
  });

  it('adds them up, waiting cases counted among the open ones and apart', () => {
    expect(caseFigures([done('2026-05-20', '2026-05-01'), done('2026-05-20', '2026-05-21'), open('2026-12-31'), open(null, 'waiting'), open('2026-05-20'),
      { ...open('2026-05-20', 'cancelled'), cancelledOn: '2026-05-01' }], '2026-06-30')).toEqual({
      total: 5, doneOnTime: 1, doneLate: 1, openOnTime: 2, openOverdue: 1, waiting: 1,
    });
  });
});
