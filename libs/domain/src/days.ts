/**
 * Days as plans write them: YYYY-MM-DD in Vietnam time, "due before" a day meaning before it begins.
 * Plain strings compare in calendar order, so most rules need nothing more than these.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a real YYYY-MM-DD day (2026-02-30 is not one), else null. */
export function dayNumber(value: string): number | null {
  const m = DAY.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.getTime() / 86_400_000;
}

export function isRealDay(value: string): boolean {
  return dayNumber(value) !== null;
}

/** Whole days from one valid day to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return (dayNumber(to) ?? Number.NaN) - (dayNumber(from) ?? Number.NaN);
}

/** The day `days` after (or before, when negative) a YYYY-MM-DD day. */
export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
