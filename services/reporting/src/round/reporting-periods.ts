import { ReportingRule, RoundKind } from '@thihanh/contracts';
import { addDays, derivedId } from '@thihanh/domain';

export interface PeriodicRound {
  roundId: string;
  kind: RoundKind;
  title: string;
  period: { from: string; to: string };
  dueBefore: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const day = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

export const roundIdOf = (planId: string, kind: RoundKind, key: string) => derivedId('round', planId, kind, key);

/**
 * The rounds a plan's reporting rules call for up to `today`, from the year the plan was issued.
 * Yearly with a cut-off day: a cut-off in the first half of the year (15/01) is the next year's, for
 * the calendar year before; a later one (15/11) is the same year's, for the year up to the day
 * before it — the periods Decree 09/2019/NĐ-CP's yearly reports follow. Semiannual, quarterly and
 * monthly rounds cover their calendar period and are due 15 days after it (no seed gives one yet).
 * Ad-hoc rules open nothing by themselves: the coordinator asks.
 */
export function periodicRounds(planId: string, issuedOn: string | null, rules: readonly ReportingRule[], today: string): PeriodicRound[] {
  const first = Number((issuedOn ?? today).slice(0, 4));
  const last = Number(today.slice(0, 4));
  const rounds: PeriodicRound[] = [];
  for (const rule of rules) {
    for (let year = first; year <= last; year += 1) {
      if (rule.frequency === 'yearly') {
        const [m, d] = (rule.dueMonthDay ?? '12-31').split('-').map(Number);
        const early = m < 7;
        const dueBefore = early ? day(year + 1, m, d) : day(year, m, d);
        const to = early ? day(year, 12, 31) : addDays(dueBefore, -1);
        rounds.push({ roundId: roundIdOf(planId, 'yearly', String(year)), kind: 'yearly', title: `Báo cáo kết quả thực hiện năm ${year}`, period: { from: day(year, 1, 1), to }, dueBefore });
      } else if (rule.frequency !== 'adhoc') {
        const months = { semiannual: 6, quarterly: 3, monthly: 1 }[rule.frequency];
        for (let start = 1; start <= 12; start += months) {
          const from = day(year, start, 1);
          if (from > today) break;
          const to = addDays(start + months > 12 ? day(year + 1, 1, 1) : day(year, start + months, 1), -1);
          const index = (start - 1) / months + 1;
          const name = { semiannual: `6 tháng ${index === 1 ? 'đầu' : 'cuối'} năm ${year}`, quarterly: `quý ${index} năm ${year}`, monthly: `tháng ${start} năm ${year}` }[rule.frequency];
          rounds.push({ roundId: roundIdOf(planId, rule.frequency, `${year}-${index}`), kind: rule.frequency, title: `Báo cáo kết quả thực hiện ${name}`, period: { from, to }, dueBefore: addDays(to, 16) });
        }
      }
    }
  }
  return rounds;
}
