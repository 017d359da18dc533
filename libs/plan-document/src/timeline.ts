import { addDays } from '@thihanh/domain';
import type { ParsedTimeline } from './plan-document';
import { fold, trimEnd } from './vietnamese-text';

/**
 * Days are calendar days in Vietnam time (Asia/Ho_Chi_Minh), written YYYY-MM-DD; no clock or time
 * zone is involved in reading them. `dueBefore` is the first day on which the work is late:
 * - "trước ngày 20/5/2026" → 2026-05-20 (due before that day begins);
 * - a bare or inclusive day ("ngày 20/5/2026", "đến ngày 20/5/2026") → the day after, 2026-05-21;
 * - a month or quarter ("Tháng 9 năm 2026", "Quý III/2026") → the day after it ends (2026-10-01);
 *   "trước tháng 9/2026" → the day it begins (2026-09-01);
 * - a year ("trong năm 2026") → 2027-01-01.
 */
export function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? date.toISOString().slice(0, 10) : null;
}

/** "15/11" or "15 tháng 11" as MM-DD; null when no year has that day (31/2). */
export function monthDay(month: number, day: number): string | null {
  return isoDate(2000, month, day)?.slice(5) ?? null; // 2000 is a leap year: 29/2 exists.
}

export interface TimelineReading {
  timeline: ParsedTimeline;
  /** Dates as written that name no real day ("31/2/2026"). */
  invalidDates: string[];
}

const ROMAN_QUARTERS: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

interface Deadline {
  dueBefore: string | null;
  start: number;
  end: number;
}

/**
 * Reads a "Thời gian thực hiện" value. Kinds, first that applies:
 * gated (an external event opens the work: "(sau khi Bộ Công an tổ chức tập huấn ...)") — it keeps
 * `fromYear` when the work also recurs yearly, and `dueBefore` when it also has a deadline;
 * dependent ("theo tiến độ dự thảo Nghị định", "khi có yêu cầu"); recurring ("năm 2026 và các năm
 * tiếp theo", "hằng năm"); fixed (a day, month, quarter or year); ongoing ("thường xuyên"); unspecified.
 */
export function parseTimeline(value: string): TimelineReading {
  const text = trimEnd(value.normalize('NFC'));
  let rest = text;
  const invalidDates: string[] = [];

  const gate = takeGate(rest);
  if (gate) rest = gate.rest;
  const f = fold(rest);

  let dependsOn: string | null = null;
  const dependent = /theo tien do\s+/.exec(f);
  if (dependent) dependsOn = trimEnd(rest.slice(dependent.index + dependent[0].length)) || null;
  const onRequest = /(khi co yeu cau|theo yeu cau)/.exec(f);
  if (!dependsOn && onRequest) dependsOn = trimEnd(rest.slice(onRequest.index));

  let fromYear: number | null = null;
  const following = /nam (\d{4}) va (?:cac|nhung) nam tiep theo|(?:ke tu|bat dau tu|tu) nam (\d{4})/.exec(f);
  if (following) fromYear = Number(following[1] ?? following[2]);
  const recurring = fromYear !== null || /\b(?:hang|moi) nam\b/.test(f);

  const deadlines = findDeadlines(rest, f, invalidDates);
  let dueMonthDay: string | null = null;
  if (recurring) dueMonthDay = findMonthDay(f, deadlines, invalidDates);
  if (!recurring && !deadlines.length) {
    const year = /(?:(truoc)\s+)?(?:trong\s+)?nam\s+(\d{4})/.exec(f);
    if (year) deadlines.push({ dueBefore: `${Number(year[2]) + (year[1] ? 0 : 1)}-01-01`, start: 0, end: 0 });
  }
  const dueBefore = deadlines.map((d) => d.dueBefore).filter((d): d is string => !!d).sort().at(-1) ?? null;

  const kind: ParsedTimeline['kind'] = gate
    ? 'gated'
    : dependsOn
      ? 'dependent'
      : recurring
        ? 'recurring'
        : dueBefore
          ? 'fixed'
          : /thuong xuyen|lien tuc|hang ngay/.test(f)
            ? 'ongoing'
            : 'unspecified';

  return {
    timeline: { kind, dueBefore, dueMonthDay, fromYear, gate: gate?.gate ?? null, dependsOn, text },
    invalidDates,
  };
}

function takeGate(text: string): { gate: string; rest: string } | null {
  const f = fold(text);
  const m = /(\(\s*)?(?:ngay |ke tu )?sau khi\b/.exec(f);
  if (!m) return null;
  const start = m.index;
  const from = start + (m[1]?.length ?? 0);
  let end = text.length;
  if (m[1]) {
    const close = text.indexOf(')', from);
    end = close < 0 ? text.length : close + 1;
  } else {
    const stop = text.slice(from).search(/[;]/);
    if (stop >= 0) end = from + stop;
  }
  const gate = trimEnd(text.slice(from, m[1] && text[end - 1] === ')' ? end - 1 : end));
  const rest = `${text.slice(0, start)} ${text.slice(end)}`.replace(/\s+/g, ' ').replace(/[\s,;]+$/, '').trim();
  return { gate, rest };
}

function before(f: string, index: number): boolean {
  return /truoc\s*(?:ngay\s*)?$/.test(f.slice(Math.max(0, index - 12), index));
}

function findDeadlines(text: string, f: string, invalidDates: string[]): Deadline[] {
  const found: Deadline[] = [];
  const overlaps = (start: number, end: number) => found.some((d) => start < d.end && end > d.start);
  const add = (start: number, end: number, dueBefore: string | null, written: string) => {
    if (overlaps(start, end)) return;
    if (!dueBefore) invalidDates.push(written);
    found.push({ dueBefore, start, end });
  };

  for (const m of f.matchAll(/(?:ngay\s+)?(\d{1,2})\s*(?:\/|-|\.|\s+thang\s+)(\d{1,2})\s*(?:\/|-|\.|\s+nam\s+)(\d{4})/g)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const day = isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
    const strict = before(f, start) || before(f, start + (m[0].startsWith('ngay') ? 4 : 0));
    add(start, end, day && (strict ? day : addDays(day, 1)), text.slice(start, end));
  }
  for (const m of f.matchAll(/quy\s+(iv|iii|ii|i|[1-4])\b\s*(?:\/|nam)\s*(\d{4})/g)) {
    const start = m.index ?? 0;
    const quarter = ROMAN_QUARTERS[m[1]];
    const year = Number(m[2]);
    const first = `${year}-${String(quarter * 3 - 2).padStart(2, '0')}-01`;
    add(start, start + m[0].length, before(f, start) ? first : isoDate(year + (quarter === 4 ? 1 : 0), (quarter % 4) * 3 + 1, 1), m[0]);
  }
  for (const m of f.matchAll(/thang\s+(\d{1,2})\s*(?:\/|nam)\s*(\d{4})/g)) {
    const start = m.index ?? 0;
    const month = Number(m[1]);
    const year = Number(m[2]);
    const first = month >= 1 && month <= 12 ? isoDate(year, month, 1) : null;
    const due = first && (before(f, start) ? first : isoDate(year + (month === 12 ? 1 : 0), (month % 12) + 1, 1));
    add(start, start + m[0].length, due, text.slice(start, start + m[0].length));
  }
  for (const m of f.matchAll(/(?:6|06|sau) thang (dau|cuoi) nam\s*(\d{4})/g)) {
    const start = m.index ?? 0;
    const year = Number(m[2]);
    add(start, start + m[0].length, m[1] === 'dau' ? `${year}-07-01` : `${year + 1}-01-01`, m[0]);
  }
  return found;
}

/** "trước ngày 15/11 hằng năm" → 11-15: a day of the year with no year of its own. */
function findMonthDay(f: string, taken: Deadline[], invalidDates: string[]): string | null {
  for (const m of f.matchAll(/(?:ngay\s+)?(\d{1,2})\s*(?:\/|\s+thang\s+)(\d{1,2})\b(?!\s*(?:\/|nam\s)\s*\d)/g)) {
    const start = m.index ?? 0;
    if (taken.some((d) => start >= d.start && start < d.end)) continue;
    const day = monthDay(Number(m[2]), Number(m[1]));
    if (!day) {
      invalidDates.push(m[0]);
      continue;
    }
    const strict = before(f, start) || before(f, start + (m[0].startsWith('ngay') ? 4 : 0));
    return strict ? day : addDays(`2001-${day}`, 1).slice(5);
  }
  return null;
}
