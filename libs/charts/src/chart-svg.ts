import { Chart, ChartSize, PALETTE, SIZE_LIMITS, checkChart, checkDimension } from './chart';
import { textWidth } from './dejavu-font';
import { cleanText, escapeXml, formatNumber, truncate, wrapText } from './svg-text';
import { ValueScale, valueScale } from './value-scale';

export const FONT_FAMILY = 'DejaVu Sans';
export const NO_DATA = 'Chưa có số liệu';

const PAD = 16;
const TITLE = { size: 17, line: 22 };
const LABEL = { size: 12, line: 15 };
/** Ticks, value labels, the unit caption. */
const SMALL = 11;
/** From a text's vertical centre to its baseline, for DejaVu Sans (cap height 0.73 em). */
const CENTRE = 0.36;
const INK = '#1f1f1f';
const MUTED = '#595959';
const GRID = '#e3e3e3';
const AXIS = '#8c8c8c';

interface Drawing {
  kind: Chart['kind'];
  title: string;
  axis: string[];
  series: { name: string; color: string; values: (number | null)[] }[];
  stacked: boolean;
  horizontal: boolean;
  /** Written after every number ('%'). */
  suffix: string;
  /** Said once above the plot ("Đơn vị: ngày"). */
  caption: string;
  min?: number;
  max?: number;
}

/** A standalone SVG document (UTF-8 string, with a <title>, XML-escaped text, font-family "DejaVu Sans"). Deterministic. */
export function chartSvg(chart: Chart, size: ChartSize = {}): string {
  checkChart(chart);
  checkDimension('width', size.width);
  checkDimension('height', size.height);
  const drawing = drawingOf(chart);
  const width = size.width ?? 800;
  const out: string[] = [];
  const empty = drawing.series.every((series) => series.values.every((value) => value === null));
  const top = header(out, drawing, width, !empty && drawing.series.length > 1);
  const height = empty
    ? noData(out, width, top, size.height ?? (drawing.horizontal ? 240 : 450))
    : drawing.horizontal
      ? horizontalBars(out, drawing, width, top, size.height)
      : columns(out, drawing, width, top, size.height ?? 450);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="'${FONT_FAMILY}', Verdana, sans-serif" role="img">`,
    `<title>${escapeXml(drawing.title || 'Biểu đồ')}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}

function drawingOf(chart: Chart): Drawing {
  const unit = cleanText(chart.unit ?? '');
  const suffix = unit === '%' || unit === '‰' ? unit : '';
  return {
    kind: chart.kind,
    title: cleanText(chart.title),
    axis: (chart.kind === 'bar' ? chart.categories : chart.labels).map(cleanText),
    series: chart.series.map((series, index) => ({ name: cleanText(series.name), color: series.color ?? PALETTE[index % PALETTE.length], values: series.values })),
    stacked: chart.kind === 'bar' && chart.stacked === true && chart.series.length > 1,
    horizontal: chart.kind === 'bar' && chart.horizontal === true,
    suffix,
    caption: unit && !suffix ? `Đơn vị: ${unit}` : '',
    min: chart.kind === 'line' ? chart.min : undefined,
    max: chart.max,
  };
}

// ---- SVG pieces ---------------------------------------------------------------------------------

/** Coordinates to 0.01 px: short, and the same digits on every machine. */
const px = (value: number) => {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
};

interface TextStyle {
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  bold?: boolean;
  fill?: string;
  /** The whole text, when `lines` show it cut short: a tooltip in browsers. */
  full?: string;
}

/** One <text>, a <tspan> per line (so a wrapped label stays one element), `y` the first baseline. */
function text(x: number, y: number, lines: string[], style: TextStyle, lineHeight = style.size * 1.25): string {
  const attributes = [`x="${px(x)}"`, `y="${px(y)}"`, `font-size="${style.size}"`];
  if (style.anchor && style.anchor !== 'start') attributes.push(`text-anchor="${style.anchor}"`);
  if (style.bold) attributes.push('font-weight="bold"');
  attributes.push(`fill="${style.fill ?? INK}"`);
  const tooltip = style.full && style.full !== lines.join(' ') ? `<title>${escapeXml(style.full)}</title>` : '';
  const body =
    lines.length === 1 ? escapeXml(lines[0]) : lines.map((line, i) => `<tspan x="${px(x)}" y="${px(y + i * lineHeight)}">${escapeXml(line)}</tspan>`).join('');
  return `<text ${attributes.join(' ')}>${tooltip}${body}</text>`;
}

const line = (x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1) =>
  `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${stroke}" stroke-width="${width}"/>`;

const rect = (x: number, y: number, width: number, height: number, fill: string, extra = '') =>
  `<rect${extra} x="${px(x)}" y="${px(y)}" width="${px(width)}" height="${px(height)}" fill="${fill}"/>`;

/** Dark text on light fills, white on dark ones: whichever contrasts more (WCAG relative luminance). */
function textOn(fill: string): string {
  const hex = fill.length === 4 ? fill.replace(/[0-9a-f]/gi, (digit) => digit + digit) : fill;
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.064 ? '#ffffff' : INK;
}

const valueText = (value: number, drawing: Drawing) => formatNumber(value) + drawing.suffix;

// ---- Header: title and legend ---------------------------------------------------------------------

/** Draws the title (bold, centred, up to two lines) and the legend; returns where the plot may start. */
function header(out: string[], drawing: Drawing, width: number, legend: boolean): number {
  let y = PAD;
  if (drawing.title) {
    const lines = wrapText(drawing.title, width - 2 * PAD, TITLE.size, 2, 'bold');
    out.push(text(width / 2, y + TITLE.size, lines, { size: TITLE.size, anchor: 'middle', bold: true, full: drawing.title }, TITLE.line));
    y += lines.length * TITLE.line + 6;
  }
  if (!legend) return y + 4;
  const swatch = drawing.kind === 'line' ? 20 : 12;
  const items = drawing.series.map((series) => {
    const label = truncate(series.name, width - 2 * PAD - swatch - 6, LABEL.size);
    return { ...series, label, width: swatch + 6 + textWidth(label, LABEL.size) };
  });
  const rows: (typeof items)[] = [[]];
  let rowWidth = 0;
  for (const item of items) {
    const row = rows[rows.length - 1];
    if (row.length > 0 && rowWidth + 18 + item.width > width - 2 * PAD) {
      rows.push([item]);
      rowWidth = item.width;
    } else {
      rowWidth += (row.length > 0 ? 18 : 0) + item.width;
      row.push(item);
    }
  }
  out.push('<g class="legend">');
  for (const row of rows) {
    let x = (width - row.reduce((sum, item, i) => sum + item.width + (i > 0 ? 18 : 0), 0)) / 2;
    for (const item of row) {
      if (drawing.kind === 'line') {
        out.push(line(x, y + 9, x + swatch, y + 9, item.color, 2.5), `<circle cx="${px(x + swatch / 2)}" cy="${px(y + 9)}" r="3.5" fill="${item.color}" stroke="#ffffff" stroke-width="1.5"/>`);
      } else {
        out.push(`<rect x="${px(x)}" y="${px(y + 3)}" width="12" height="12" rx="2" fill="${item.color}"/>`);
      }
      out.push(text(x + swatch + 6, y + 9 + LABEL.size * CENTRE, [item.label], { size: LABEL.size, full: item.name }));
      x += item.width + 18;
    }
    y += 20;
  }
  out.push('</g>');
  return y + 8;
}

function noData(out: string[], width: number, top: number, height: number): number {
  const bottom = Math.max(height - PAD, top + 24);
  out.push(
    `<rect x="${PAD}" y="${px(top)}" width="${width - 2 * PAD}" height="${px(bottom - top)}" rx="4" fill="#f7f7f7" stroke="${GRID}"/>`,
    text(width / 2, (top + bottom) / 2 + 14 * CENTRE, [NO_DATA], { size: 14, anchor: 'middle', fill: MUTED }),
  );
  return height;
}

// ---- Values ---------------------------------------------------------------------------------------

/** The axis for the drawn values: each value, or each stack's total. */
function scaleFor(drawing: Drawing, length: number, spacing: number): ValueScale {
  const values = drawing.series.flatMap((series) => series.values).filter((value): value is number => value !== null);
  const ends = drawing.stacked ? drawing.axis.map((_, i) => drawing.series.reduce((sum, series) => sum + (series.values[i] ?? 0), 0)) : values;
  return valueScale(
    { min: Math.min(...ends), max: Math.max(...ends), integers: values.every(Number.isInteger), percent: drawing.suffix === '%' },
    { min: drawing.min, max: drawing.max },
    length,
    spacing,
  );
}

/** A stack's total, unless it is a percentage (always 100: noise) or the stack is empty. */
function totalOf(drawing: Drawing, index: number): number | null {
  if (!drawing.stacked || drawing.suffix === '%') return null;
  const values = drawing.series.map((series) => series.values[index]).filter((value): value is number => value !== null);
  return values.length > 0 ? values.reduce((sum, value) => sum + value, 0) : null;
}

/** Every `every`-th category gets a label when the bands are too thin for all of them (they never overlap). */
const labelled = (index: number, every: number) => index % every === 0;

// ---- Horizontal bars ------------------------------------------------------------------------------

/** Categories down the left (long agency names wrap), values along the bottom; returns the height. */
function horizontalBars(out: string[], drawing: Drawing, width: number, top: number, fixedHeight?: number): number {
  const count = drawing.axis.length;
  const seriesCount = drawing.stacked ? 1 : drawing.series.length;
  const outside = drawing.stacked
    ? drawing.axis.map((_, i) => totalOf(drawing, i)).filter((total): total is number => total !== null)
    : drawing.series.flatMap((series) => series.values).filter((value): value is number => value !== null);
  const reserve = outside.length > 0 ? Math.min(width * 0.2, Math.max(...outside.map((value) => textWidth(valueText(value, drawing), SMALL))) + 8) : 0;
  const labelWidth = Math.min(Math.max(0, ...drawing.axis.map((label) => textWidth(label, LABEL.size))), Math.round((width - 2 * PAD) * 0.38));
  const plotLeft = PAD + labelWidth + (labelWidth > 0 ? 10 : 0);

  if (drawing.caption) {
    out.push(text(width - PAD, top + SMALL, [drawing.caption], { size: SMALL, anchor: 'end', fill: MUTED }));
    top += 18;
  }
  const plotTop = top + 4;
  const axisHeight = SMALL + 12;
  const thickness = seriesCount === 1 ? 22 : seriesCount * 14 + (seriesCount - 1) * 2;
  let height = fixedHeight ?? 0;
  let band: number;
  if (fixedHeight === undefined) {
    const lines = Math.max(1, ...drawing.axis.map((label) => wrapText(label, labelWidth, LABEL.size, 2).length));
    band = Math.max(thickness + 14, lines * LABEL.line + 10);
    height = Math.min(SIZE_LIMITS.max, Math.max(160, Math.ceil(plotTop + count * band + axisHeight + PAD)));
  }
  const plotBottom = Math.max(height - PAD - axisHeight, plotTop + 10);
  band = (plotBottom - plotTop) / count;
  const maxLines = Math.min(3, Math.max(1, Math.floor((band - 2) / LABEL.line)));
  const every = band >= LABEL.line ? 1 : Math.ceil(LABEL.line / band);
  const barsHeight = Math.min(band * 0.72, thickness * 1.25);
  const gap = seriesCount > 1 ? Math.min(2, barsHeight * 0.1) : 0;
  const barHeight = (barsHeight - gap * (seriesCount - 1)) / seriesCount;

  // Tick labels side by side need more room than stacked ones.
  const scale = scaleFor(drawing, width - PAD - reserve - plotLeft, 90);
  const tickTexts = scale.ticks.map((tick) => formatNumber(tick, scale.decimals) + drawing.suffix);
  const plotRight = width - PAD - Math.max(reserve, textWidth(tickTexts[tickTexts.length - 1] ?? '', SMALL) / 2);
  const x = (value: number) => plotLeft + scale.at(value) * (plotRight - plotLeft);

  const tickEvery = Math.ceil((Math.max(...tickTexts.map((tick) => textWidth(tick, SMALL))) + 6) / Math.max(1, x(scale.ticks[1] ?? scale.max) - x(scale.ticks[0])));
  out.push('<g class="grid">');
  scale.ticks.forEach((tick, i) => {
    out.push(line(x(tick), plotTop, x(tick), plotBottom, GRID));
    if (i % tickEvery === 0) out.push(text(x(tick), plotBottom + 4 + SMALL, [tickTexts[i]], { size: SMALL, anchor: 'middle', fill: MUTED }));
  });
  out.push('</g>', '<g class="bars">');
  const labels: string[] = [];
  drawing.axis.forEach((_, i) => {
    const centre = plotTop + band * (i + 0.5);
    if (drawing.stacked) {
      let sum = 0;
      for (const series of drawing.series) {
        const value = series.values[i];
        if (value === null) continue;
        const [from, to] = [x(sum), x(sum + value)];
        sum += value;
        if (to - from <= 0) continue;
        out.push(rect(from, centre - barHeight / 2, to - from, barHeight, series.color, ' class="bar"'));
        const label = valueText(value, drawing);
        if (textWidth(label, SMALL) + 6 <= to - from && barHeight >= SMALL + 2) {
          labels.push(text((from + to) / 2, centre + SMALL * CENTRE, [label], { size: SMALL, anchor: 'middle', fill: textOn(series.color) }));
        }
      }
      const total = totalOf(drawing, i);
      if (total !== null && barHeight >= SMALL) labels.push(text(x(total) + 4, centre + SMALL * CENTRE, [valueText(total, drawing)], { size: SMALL, bold: true }));
      return;
    }
    drawing.series.forEach((series, s) => {
      const value = series.values[i];
      if (value === null) return;
      const y = centre - barsHeight / 2 + s * (barHeight + gap);
      const [from, to] = [x(Math.min(0, value)), x(Math.max(0, value))];
      if (to - from > 0) out.push(rect(from, y, to - from, barHeight, series.color, ' class="bar"'));
      const label = valueText(value, drawing);
      const labelWidth = textWidth(label, SMALL);
      if (barHeight < SMALL - 2) return;
      const baseline = y + barHeight / 2 + SMALL * CENTRE;
      if (value >= 0 && to + 4 + labelWidth <= width - PAD) labels.push(text(to + 4, baseline, [label], { size: SMALL }));
      else if (value < 0 && from - 4 - labelWidth >= plotLeft) labels.push(text(from - 4, baseline, [label], { size: SMALL, anchor: 'end' }));
      else if (labelWidth + 8 <= to - from) {
        labels.push(text(value >= 0 ? to - 4 : from + 4, baseline, [label], { size: SMALL, anchor: value >= 0 ? 'end' : 'start', fill: textOn(series.color) }));
      }
    });
  });
  out.push('</g>', line(x(0), plotTop, x(0), plotBottom, AXIS));
  out.push('<g class="categories">');
  drawing.axis.forEach((category, i) => {
    if (!labelled(i, every) || labelWidth === 0) return;
    const lines = wrapText(category, labelWidth, LABEL.size, maxLines);
    const centre = plotTop + band * (i + 0.5);
    out.push(text(PAD + labelWidth, centre - ((lines.length - 1) * LABEL.line) / 2 + LABEL.size * CENTRE, lines, { size: LABEL.size, anchor: 'end', full: category }, LABEL.line));
  });
  out.push('</g>', '<g class="values">', ...labels, '</g>');
  return height;
}

// ---- Columns and lines ----------------------------------------------------------------------------

/** Categories (or months) along the bottom, values up the left: vertical bars and line charts. Returns the height. */
function columns(out: string[], drawing: Drawing, width: number, top: number, height: number): number {
  if (drawing.caption) {
    out.push(text(PAD, top + SMALL, [drawing.caption], { size: SMALL, fill: MUTED }));
    top += 18;
  }
  const plotTop = top + 14;
  const scale = scaleFor(drawing, height - PAD - 2 * LABEL.line - 8 - plotTop, 60);
  const tickTexts = scale.ticks.map((tick) => formatNumber(tick, scale.decimals) + drawing.suffix);
  const plotLeft = PAD + Math.max(...tickTexts.map((tick) => textWidth(tick, SMALL))) + 8;
  const plotRight = width - PAD;
  const count = drawing.axis.length;
  const band = (plotRight - plotLeft) / count;
  const centreOf = (i: number) => plotLeft + band * (i + 0.5);
  let every = 1;
  while (band * every - 6 < 28 && drawing.axis.some((label) => textWidth(label, LABEL.size) > band * every - 6)) every++;
  // A label may spread over the bands of the unlabelled neighbours, never past the edge of the picture.
  const room = (i: number) => Math.min(band * every - 6, 2 * Math.min(centreOf(i) - 4, width - 4 - centreOf(i)));
  const labelLines = drawing.axis.map((label, i) => (labelled(i, every) ? wrapText(label, room(i), LABEL.size, 3) : []));
  const rows = Math.max(1, ...labelLines.map((lines) => lines.length));
  const plotBottom = Math.max(height - PAD - rows * LABEL.line - 4, plotTop + 10);
  const y = (value: number) => plotBottom - scale.at(value) * (plotBottom - plotTop);
  const tickEvery = Math.ceil((SMALL + 3) / Math.max(1, y(scale.ticks[0]) - y(scale.ticks[1] ?? scale.max)));

  out.push('<g class="grid">');
  scale.ticks.forEach((tick, i) => {
    out.push(line(plotLeft, y(tick), plotRight, y(tick), GRID));
    if (i % tickEvery === 0) out.push(text(plotLeft - 6, y(tick) + SMALL * CENTRE, [tickTexts[i]], { size: SMALL, anchor: 'end', fill: MUTED }));
  });
  out.push('</g>');
  const labels = drawing.kind === 'line' ? lines(out, drawing, band, centreOf, y) : verticalBars(out, drawing, band, centreOf, y);
  out.push(line(plotLeft, y(Math.max(scale.min, Math.min(0, scale.max))), plotRight, y(Math.max(scale.min, Math.min(0, scale.max))), AXIS));
  out.push('<g class="categories">');
  labelLines.forEach((lines, i) => {
    if (lines.length > 0) out.push(text(centreOf(i), plotBottom + 4 + LABEL.size, lines, { size: LABEL.size, anchor: 'middle', full: drawing.axis[i] }, LABEL.line));
  });
  out.push('</g>', '<g class="values">', ...labels, '</g>');
  return height;
}

/** Draws the bars; returns their value labels (drawn last, over everything). */
function verticalBars(out: string[], drawing: Drawing, band: number, centreOf: (i: number) => number, y: (value: number) => number): string[] {
  const seriesCount = drawing.stacked ? 1 : drawing.series.length;
  const groupWidth = Math.min(band * (seriesCount === 1 ? 0.6 : 0.75), seriesCount * (seriesCount === 1 ? 56 : 36));
  const gap = seriesCount > 1 ? Math.min(2, groupWidth * 0.05) : 0;
  const barWidth = (groupWidth - gap * (seriesCount - 1)) / seriesCount;
  const room = seriesCount === 1 ? band - 4 : barWidth + gap;
  const labels: string[] = [];
  out.push('<g class="bars">');
  drawing.axis.forEach((_, i) => {
    if (drawing.stacked) {
      let sum = 0;
      for (const series of drawing.series) {
        const value = series.values[i];
        if (value === null) continue;
        const [bottom, top] = [y(sum), y(sum + value)];
        sum += value;
        if (bottom - top <= 0) continue;
        out.push(rect(centreOf(i) - barWidth / 2, top, barWidth, bottom - top, series.color, ' class="bar"'));
        const label = valueText(value, drawing);
        if (textWidth(label, SMALL) + 4 <= barWidth && bottom - top >= SMALL + 4) {
          labels.push(text(centreOf(i), (top + bottom) / 2 + SMALL * CENTRE, [label], { size: SMALL, anchor: 'middle', fill: textOn(series.color) }));
        }
      }
      const total = totalOf(drawing, i);
      if (total !== null && textWidth(valueText(total, drawing), SMALL) <= room) labels.push(text(centreOf(i), y(total) - 4, [valueText(total, drawing)], { size: SMALL, anchor: 'middle', bold: true }));
      return;
    }
    drawing.series.forEach((series, s) => {
      const value = series.values[i];
      if (value === null) return;
      const left = centreOf(i) - groupWidth / 2 + s * (barWidth + gap);
      const [top, bottom] = [y(Math.max(0, value)), y(Math.min(0, value))];
      if (bottom - top > 0) out.push(rect(left, top, barWidth, bottom - top, series.color, ' class="bar"'));
      const label = valueText(value, drawing);
      if (textWidth(label, SMALL) <= room) labels.push(text(left + barWidth / 2, value >= 0 ? top - 4 : bottom + 4 + SMALL * 0.75, [label], { size: SMALL, anchor: 'middle' }));
    });
  });
  out.push('</g>');
  return labels;
}

/** Draws one line per series, broken where a value is null; returns the point labels (one series only: several would collide). */
function lines(out: string[], drawing: Drawing, band: number, centreOf: (i: number) => number, y: (value: number) => number): string[] {
  const labels: string[] = [];
  out.push('<g class="lines">');
  for (const series of drawing.series) {
    const points = series.values.map((value, i) => (value === null ? null : { x: centreOf(i), y: y(value), value }));
    const path = points.map((point, i) => (point ? `${points[i - 1] ? 'L' : 'M'}${px(point.x)} ${px(point.y)}` : '')).join('');
    if (path.includes('L')) out.push(`<path class="line" d="${path}" fill="none" stroke="${series.color}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`);
    points.forEach((point, i) => {
      if (!point) return;
      const alone = !points[i - 1] && !points[i + 1];
      if (band >= 10 || alone) out.push(`<circle cx="${px(point.x)}" cy="${px(point.y)}" r="${band >= 10 ? 3.5 : 2.5}" fill="${series.color}" stroke="#ffffff" stroke-width="1.5"/>`);
      const label = valueText(point.value, drawing);
      if (drawing.series.length === 1 && textWidth(label, SMALL) <= band - 2) labels.push(text(point.x, point.y - 8, [label], { size: SMALL, anchor: 'middle' }));
    });
  }
  out.push('</g>');
  return labels;
}
