import { ChartError } from './charts.errors';

export interface Series {
  name: string;
  values: (number | null)[];
  /** "#rgb" or "#rrggbb"; default: the next colour of the palette. */
  color?: string;
}

/** Horizontal bars suit long Vietnamese agency names; stacked bars show the four categories per agency/task. */
export interface BarChart {
  kind: 'bar';
  title: string;
  categories: string[];
  series: Series[];
  stacked?: boolean;
  horizontal?: boolean;
  /** '%' (or '‰') follows every number; any other unit is said once, "Đơn vị: …", above the plot. */
  unit?: string;
  /** The end of the value axis; longer bars are cut at it (their labels still say the value). */
  max?: number;
}

/** A trend over time (e.g. the share of cases finished on time, month by month). */
export interface LineChart {
  kind: 'line';
  title: string;
  labels: string[];
  series: Series[];
  unit?: string;
  min?: number;
  max?: number;
}

export type Chart = BarChart | LineChart;

export interface ChartSize {
  /** px, default 800. */
  width?: number;
  /** px; default: fits the categories for horizontal bars, else 450. */
  height?: number;
}

export interface TaskCategory {
  key: 'doneOnTime' | 'doneLate' | 'openOnTime' | 'openOverdue';
  label: string;
  color: string;
}

/** The four categories of the national task-tracking system, with their fixed colours, for reuse by callers. */
export const TASK_CATEGORIES: readonly TaskCategory[] = Object.freeze(
  [
    { key: 'doneOnTime', label: 'Hoàn thành đúng hạn', color: '#009E73' },
    { key: 'doneLate', label: 'Hoàn thành quá hạn', color: '#E69F00' },
    { key: 'openOnTime', label: 'Đang thực hiện trong hạn', color: '#0072B2' },
    { key: 'openOverdue', label: 'Đang thực hiện quá hạn', color: '#D55E00' },
  ].map((category) => Object.freeze(category as TaskCategory)),
);

/**
 * Okabe & Ito's colour-blind-safe palette (Color Universal Design), its yellow left out (unreadable on
 * white paper) and black last; the same order every time, so a series keeps its colour between charts.
 */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'] as const;

export const SIZE_LIMITS = { min: 100, max: 4000 } as const;
export const SCALE_LIMITS = { min: 0.5, max: 4 } as const;

const invalid = (message: string, details: Record<string, unknown> = {}) => new ChartError('CHART.INVALID_DATA', message, details);

/** Throws a ChartError unless the chart can be drawn as given. Types are checked too: callers pass parsed JSON. */
export function checkChart(chart: Chart): void {
  if (chart?.kind !== 'bar' && chart?.kind !== 'line') throw invalid("A chart's kind is 'bar' or 'line'", { kind: (chart as { kind?: unknown })?.kind });
  if (typeof chart.title !== 'string') throw invalid('A chart needs a title (text)');
  const axis = chart.kind === 'bar' ? chart.categories : chart.labels;
  const axisName = chart.kind === 'bar' ? 'categories' : 'labels';
  if (!Array.isArray(axis) || axis.some((label) => typeof label !== 'string')) throw invalid(`The ${axisName} must be a list of texts`);
  if (!Array.isArray(chart.series)) throw invalid('The series must be a list');
  const stacked = chart.kind === 'bar' && chart.stacked === true;
  chart.series.forEach((series, index) => {
    if (typeof series?.name !== 'string') throw invalid('A series needs a name (text)', { series: index });
    if (!Array.isArray(series.values) || series.values.length !== axis.length) {
      throw invalid(`Series "${series.name}" has ${Array.isArray(series.values) ? series.values.length : 'no'} values for ${axis.length} ${axisName}`, { series: series.name, expected: axis.length });
    }
    series.values.forEach((value, at) => {
      if (value === null) return;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`Series "${series.name}" has a value that is not a finite number`, { series: series.name, index: at, value: String(value) });
      if (stacked && value < 0) throw invalid(`A stacked chart cannot show a negative value (series "${series.name}")`, { series: series.name, index: at, value });
    });
    if (series.color !== undefined && !/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(String(series.color))) {
      throw invalid(`Series "${series.name}" has a colour that is not #rgb or #rrggbb`, { series: series.name, color: String(series.color) });
    }
  });
  if (chart.unit !== undefined && typeof chart.unit !== 'string') throw invalid('The unit must be a text');
  const bounds = { min: chart.kind === 'line' ? chart.min : undefined, max: chart.max };
  for (const [name, bound] of Object.entries(bounds)) {
    if (bound !== undefined && (typeof bound !== 'number' || !Number.isFinite(bound))) throw invalid(`The axis ${name} must be a finite number`, { [name]: String(bound) });
  }
}

/** Throws a ChartError unless `value` (when given) is a whole number of px within the limits. */
export function checkDimension(name: 'width' | 'height', value: number | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < SIZE_LIMITS.min || value > SIZE_LIMITS.max) {
    throw new ChartError('CHART.INVALID_SIZE', `The ${name} must be a whole number of px from ${SIZE_LIMITS.min} to ${SIZE_LIMITS.max}`, { [name]: String(value) });
  }
}
