import { ChartError } from './charts.errors';

/** A value axis: its ends, its ticks and where a value falls on it (0 at `min`, 1 at `max`). */
export interface ValueScale {
  min: number;
  max: number;
  ticks: number[];
  /** Decimals the tick labels need ("0,5" but "20"). */
  decimals: number;
  at(value: number): number;
}

/**
 * Ticks on 1, 2 or 5 × 10ⁿ, about one every `spacing` px: 0, 20, 40, … 100 for a percentage. The axis starts at
 * 0 unless a value is negative (bars are read by their length, so a cut axis would lie); a percentage
 * ends at 100 unless a value passes it; counts never get fractional ticks. `fixed` ends win, and values
 * beyond them are drawn at the end.
 */
export function valueScale(data: { min: number; max: number; integers: boolean; percent: boolean }, fixed: { min?: number; max?: number }, length: number, spacing: number): ValueScale {
  const target = Math.min(10, Math.max(2, Math.round(length / spacing)));
  let low = fixed.min ?? Math.min(0, data.min);
  let high = fixed.max ?? (data.percent && data.max <= 100 && low >= 0 ? 100 : data.max);
  if (high <= low) {
    if (fixed.min !== undefined || fixed.max !== undefined) throw new ChartError('CHART.INVALID_DATA', 'The axis max must be above its min', { min: low, max: high });
    high = low + (data.integers ? 5 : 1);
  }
  const step = niceStep(high - low, target, data.integers);
  if (fixed.min === undefined) low = Math.floor(low / step + 1e-9) * step;
  if (fixed.max === undefined) high = Math.ceil(high / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = Math.ceil(low / step - 1e-9); k <= Math.floor(high / step + 1e-9); k++) ticks.push(Number((k * step).toFixed(10)));
  return {
    min: low,
    max: high,
    ticks,
    decimals: step >= 1 ? 0 : Math.ceil(-Math.log10(step) - 1e-9),
    at: (value) => (Math.min(high, Math.max(low, value)) - low) / (high - low),
  };
}

function niceStep(range: number, target: number, integers: boolean): number {
  const magnitude = 10 ** Math.floor(Math.log10(range / target));
  const candidates = [1, 2, 5, 10].map((m) => m * magnitude).filter((step) => !integers || step >= 1);
  if (candidates.length === 0) return 1;
  return candidates.reduce((best, step) => (Math.abs(range / step - target) < Math.abs(range / best - target) ? step : best));
}
