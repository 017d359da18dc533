import type { ReportingFrequency } from '@thihanh/contracts';
import type { AgencyResolver } from './agency-resolver';
import { monthDay } from './timeline';
import { fold, trimEnd } from './vietnamese-text';

export interface ReportingClause {
  frequency: ReportingFrequency;
  dueMonthDay: string | null;
  recipient: string | null;
  recipientAgencyId: string | null;
  via: string | null;
  /** Offset of the clause in the text, to find its line. */
  offset: number;
}

const FREQUENCIES: { frequency: ReportingFrequency; pattern: RegExp }[] = [
  { frequency: 'yearly', pattern: /\b(?:hang|moi) nam\b/g },
  { frequency: 'semiannual', pattern: /\b(?:(?:dinh ky|bao cao)\s+(?:6|06|sau) thang|(?:6|06|sau) thang (?:dau nam|cuoi nam|mot lan))\b/g },
  // Not "theo quy": that is "theo quy định".
  { frequency: 'quarterly', pattern: /\b(?:(?:hang|moi) quy|dinh ky (?:hang )?quy)\b/g },
  { frequency: 'monthly', pattern: /\b(?:(?:hang|moi) thang|dinh ky thang)\b/g },
  { frequency: 'adhoc', pattern: /\bdot xuat\b/g },
];

/**
 * Reporting rules in a paragraph: a clause that says "báo cáo" and how often. "định kỳ hằng năm
 * trước ngày 15 tháng 11 (hoặc đột xuất khi có yêu cầu) báo cáo ... về Công an tỉnh (qua Phòng ...)"
 * gives a yearly rule due 11-15 and an ad-hoc rule, both to Công an tỉnh via that office.
 */
export function parseReportingRules(text: string, resolver: AgencyResolver): ReportingClause[] {
  const rules: ReportingClause[] = [];
  for (const clause of clauses(text)) {
    const f = fold(clause.text);
    if (!/\bbao cao\b/.test(f)) continue;
    const found = FREQUENCIES.flatMap(({ frequency, pattern }) =>
      [...f.matchAll(pattern)].map((m) => ({ frequency, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length })),
    ).sort((a, b) => a.start - b.start);
    if (!found.length) continue;

    const { recipient, via } = recipientOf(clause.text, f);
    const recipientAgencyId = recipient ? agencyIdOf(resolver.resolve(recipient)) : null;
    found.forEach((freq, i) => {
      const after = f.slice(freq.end, found[i + 1]?.start ?? f.length);
      const beforeIt = f.slice(found[i - 1]?.end ?? 0, freq.start);
      const due = freq.frequency === 'adhoc' ? null : (dueIn(after) ?? dueIn(beforeIt));
      rules.push({ frequency: freq.frequency, dueMonthDay: due, recipient, recipientAgencyId, via, offset: clause.offset });
    });
  }
  return rules;
}

function agencyIdOf(answer: ReturnType<AgencyResolver['resolve']>): string | null {
  return answer && 'agencyId' in answer ? answer.agencyId : null;
}

function clauses(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let offset = 0;
  for (const m of text.matchAll(/;\s+|\.\s+(?=\p{Lu})/gu)) {
    const end = (m.index ?? 0) + m[0].length;
    out.push({ text: text.slice(offset, m.index), offset });
    offset = end;
  }
  out.push({ text: text.slice(offset), offset });
  return out;
}

function dueIn(f: string): string | null {
  const m = /ngay\s*(\d{1,2})\s*(?:\/|\s+thang\s+)(\d{1,2})\b/.exec(f);
  return m ? monthDay(Number(m[2]), Number(m[1])) : null;
}

function recipientOf(text: string, f: string): { recipient: string | null; via: string | null } {
  const report = f.search(/\bbao cao\b/);
  const to = /\bgui\s+(?:ve\s+)?|\bve\s+/g;
  to.lastIndex = report;
  const m = to.exec(f);
  if (!m) return { recipient: null, via: null };
  const start = m.index + m[0].length;
  const stop = f.slice(start).search(/\s*\(|\s+de\s|[,;.]|$/);
  const recipient = trimEnd(text.slice(start, start + stop)) || null;
  const via = /^\s*\(\s*qua\s+([^)]*)\)/.exec(f.slice(start + stop));
  if (!via) return { recipient, via: null };
  const viaStart = start + stop + via[0].indexOf(via[1]);
  return { recipient, via: trimEnd(text.slice(viaStart, viaStart + via[1].length)) };
}
