import { inflateSync } from 'node:zlib';
import { InvalidInputError } from '@thihanh/domain';
import { textWidth } from './dejavu-font';
import { BarChart, Chart, ChartError, LineChart, TASK_CATEGORIES, chartPng, chartSvg } from './index';

const AGENCIES = ['Sở Tư pháp', 'Sở Nội vụ', 'Sở Nông nghiệp và Phát triển nông thôn', 'Công an tỉnh'];
const MONTHS = Array.from({ length: 12 }, (_, i) => `Tháng ${i + 1}`);

const byAgency = (changes: Partial<BarChart> = {}): BarChart => ({
  kind: 'bar',
  title: 'Tình hình thực hiện nhiệm vụ theo cơ quan năm 2026',
  categories: AGENCIES,
  stacked: true,
  horizontal: true,
  series: TASK_CATEGORIES.map((category, j) => ({ name: category.label, color: category.color, values: [[12, 3, 4, 1], [8, 0, 2, null], [15, 4, 6, 3], [20, 2, 1, 0]].map((row) => row[j]) })),
  ...changes,
});

const onTimeTrend = (changes: Partial<LineChart> = {}): LineChart => ({
  kind: 'line',
  title: 'Tỷ lệ nhiệm vụ hoàn thành đúng hạn',
  labels: MONTHS,
  unit: '%',
  series: [{ name: 'Đúng hạn', values: [62, 65.5, 70, 68, null, 74, 80, 82.3, 79, 85, 88, 90] }],
  ...changes,
});

const twoBars = (changes: Partial<BarChart> = {}): BarChart => ({
  kind: 'bar',
  title: 'Tỷ lệ hoàn thành',
  categories: ['Sở Tư pháp', 'Sở Nội vụ'],
  horizontal: true,
  unit: '%',
  series: [{ name: 'Hoàn thành', values: [30, 60] }],
  ...changes,
});

// ---- Reading the SVG back ---------------------------------------------------------------------------

/** Whether `xml` is well-formed: one root, tags nest and close, attributes quoted, text and values escaped. */
function wellFormed(xml: string): boolean {
  const escaped = (text: string) => !/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(text) && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text); // eslint-disable-line no-control-regex
  const open: string[] = [];
  let roots = 0;
  for (const token of xml.replace(/^<\?xml [^?]*\?>\s*/, '').match(/<[^<>]*>|[^<>]+|[<>]/g) ?? []) {
    if (!token.startsWith('<')) {
      if (token === '>' || !escaped(token) || (open.length === 0 && token.trim())) return false;
      continue;
    }
    const tag = /^<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>$/.exec(token);
    if (!tag || !escaped(tag[3])) return false;
    const [, closing, name, , selfClosing] = tag;
    if (!closing && open.length === 0) roots++;
    if (closing && open.pop() !== name) return false;
    if (!closing && !selfClosing) open.push(name);
  }
  return open.length === 0 && roots === 1;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const unescape = (text: string) => text.replace(/&(\w+);/g, (_, name: string) => ENTITIES[name]);

type Element = Record<string, string>;

/** The attributes of every `<name …>` element, in document order. */
const elements = (svg: string, name: string, within = svg): Element[] =>
  [...within.matchAll(new RegExp(`<${name}\\b([^>]*?)/?>`, 'g'))].map(([, attributes]) => Object.fromEntries([...attributes.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, key, value]) => [key, value])));

const group = (svg: string, name: string) => [...svg.matchAll(/<g class="([\w-]+)">([^]*?)<\/g>/g)].find(([, found]) => found === name)?.[2] ?? '';

/** What each <text> of a group says: its lines joined by a space, without the tooltip. */
const texts = (svg: string, groupName?: string) =>
  [...(groupName ? group(svg, groupName) : svg).matchAll(/<text\b[^>]*>([^]*?)<\/text>/g)].map(([, inner]) =>
    unescape(
      inner
        .replace(/<title>[^<]*<\/title>/, '')
        .split(/<\/tspan>/)
        .map((part) => part.replace(/<[^>]+>/g, ''))
        .filter(Boolean)
        .join(' '),
    ),
  );

const bars = (svg: string) => elements(svg, 'rect', group(svg, 'bars')).map((bar) => ({ x: +bar.x, y: +bar.y, width: +bar.width, height: +bar.height, fill: bar.fill }));

/** x (vertical gridlines) or y (horizontal ones) of the gridline whose tick says `label`. */
function gridline(svg: string, label: string): number {
  const grid = group(svg, 'grid');
  const lines = elements(svg, 'line', grid);
  const labels = texts(svg, 'grid');
  const at = labels.indexOf(label);
  if (at < 0) throw new Error(`no tick ${label} in ${labels.join(', ')}`);
  return lines[at].x1 === lines[at].x2 ? +lines[at].x1 : +lines[at].y1;
}

// ---- Reading the PNG back ---------------------------------------------------------------------------

/** An 8-bit RGBA, non-interlaced PNG (what resvg writes) decoded to its pixels. */
function decodePng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  expect([png[24], png[25], png[28]]).toEqual([8, 6, 0]); // bit depth, RGBA, not interlaced
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? pixels[y * stride + x - 4] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4] : 0;
      let predicted = 0;
      if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) {
        const [pa, pb, pc] = [Math.abs(b - c), Math.abs(a - c), Math.abs(a + b - 2 * c)];
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = (raw[y * (stride + 1) + 1 + x] + predicted) & 0xff;
    }
  }
  return { width, height, pixels };
}

/** The pixels darker than mid-grey in rows [from, to), by index. */
function ink(png: Buffer, from: number, to: number): Set<number> {
  const { width, pixels } = decodePng(png);
  const dark = new Set<number>();
  for (let at = from * width; at < to * width; at++) {
    if (pixels[4 * at] + pixels[4 * at + 1] + pixels[4 * at + 2] < 3 * 128) dark.add(at);
  }
  return dark;
}

const errorOf = (draw: () => unknown) => {
  try {
    draw();
  } catch (error) {
    return error as ChartError;
  }
  throw new Error('did not throw');
};

// ---- SVG ------------------------------------------------------------------------------------------

describe('chartSvg', () => {
  it.each<[string, Chart]>([
    ['stacked horizontal bars', byAgency()],
    ['grouped columns', { kind: 'bar', title: 'Theo quý', categories: ['Quý I', 'Quý II'], series: [{ name: 'Giao', values: [4, 5] }, { name: 'Xong', values: [3, null] }] }],
    ['a line', onTimeTrend()],
    ['no data', byAgency({ categories: [], series: [] })],
  ])('writes %s as a well-formed standalone SVG with a title, in DejaVu Sans', (_, chart) => {
    const svg = chartSvg(chart);

    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain(`<title>${chart.title}</title>`);
    expect(elements(svg, 'svg')[0]['font-family']).toMatch(/^'DejaVu Sans'/);
    expect(elements(svg, 'svg')[0]).toMatchObject({ width: '800', viewBox: expect.stringMatching(/^0 0 800 \d+$/) });
  });

  it('shows the title and every category label, XML-escaped', () => {
    const categories = ['Sở Tư pháp', 'Ban Dân tộc & Tôn giáo', 'Sở <Nội vụ>', 'Văn phòng "Đoàn ĐBQH"', "Sở Y tế'"];
    const svg = chartSvg(twoBars({ title: 'Đúng hạn & Quá hạn <2026>', categories, series: [{ name: 'x', values: [1, 2, 3, 4, 5] }] }));

    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('<title>Đúng hạn &amp; Quá hạn &lt;2026&gt;</title>');
    expect(texts(svg)).toContain('Đúng hạn & Quá hạn <2026>');
    expect(texts(svg, 'categories')).toEqual(categories);
    expect(svg).toContain('Sở &lt;Nội vụ&gt;');
    expect(svg).not.toMatch(/<Nội|& Tôn/);
  });

  it('labels every month of a year-long trend', () => {
    const svg = chartSvg(onTimeTrend());

    expect(texts(svg, 'categories')).toEqual(MONTHS);
  });

  it('draws bar lengths in proportion to the values, on a 0–100 % axis with ticks every 20', () => {
    const svg = chartSvg(twoBars());
    const [first, second] = bars(svg);
    const [zero, hundred] = [gridline(svg, '0%'), gridline(svg, '100%')];

    expect(texts(svg, 'grid')).toEqual(['0%', '20%', '40%', '60%', '80%', '100%']);
    expect(first.x).toBeCloseTo(zero, 2);
    expect(second.x).toBeCloseTo(zero, 2);
    expect(Math.abs(first.width - 0.3 * (hundred - zero))).toBeLessThanOrEqual(0.01);
    expect(Math.abs(second.width - 2 * first.width)).toBeLessThanOrEqual(0.01);
    expect(texts(svg, 'values')).toEqual(['30%', '60%']);
  });

  it('draws column heights in proportion to the values, up from the zero line', () => {
    const svg = chartSvg(twoBars({ horizontal: false, unit: '', series: [{ name: 'x', values: [12, 3] }] }));
    const [first, second] = bars(svg);
    const zero = gridline(svg, '0');

    expect(first.y + first.height).toBeCloseTo(zero, 2);
    expect(second.y + second.height).toBeCloseTo(zero, 2);
    expect(Math.abs(first.height - 4 * second.height)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(first.height - (12 / 10) * (zero - gridline(svg, '10')))).toBeLessThanOrEqual(0.02);
  });

  it('stacks the four task categories end to end, as long as the total, and writes the total', () => {
    const svg = chartSvg(byAgency());
    const segments = bars(svg);
    const perUnit = (gridline(svg, '10') - gridline(svg, '0')) / 10;
    const rows = [...new Set(segments.map((bar) => bar.y))].map((y) => segments.filter((bar) => bar.y === y));

    expect(rows.map((row) => row.length)).toEqual([4, 2, 4, 3]); // nulls and zeros draw nothing
    rows.forEach((row) => row.slice(1).forEach((bar, j) => expect(bar.x).toBeCloseTo(row[j].x + row[j].width, 1)));
    expect(rows.map((row) => Math.round(row.reduce((sum, bar) => sum + bar.width, 0) / perUnit))).toEqual([20, 10, 28, 23]);
    expect(rows[0].map((bar) => bar.fill)).toEqual(TASK_CATEGORIES.map((category) => category.color));
    expect(texts(svg, 'values')).toEqual(expect.arrayContaining(['20', '10', '28', '23']));
  });

  it('leaves out the totals of a stacked percentage (always 100)', () => {
    const svg = chartSvg(byAgency({ unit: '%', categories: ['A'], series: [{ name: 'x', values: [70] }, { name: 'y', values: [30] }] }));

    expect(texts(svg, 'values')).toEqual(['70%', '30%']);
  });

  it('shows a legend only when there are several series', () => {
    const several = chartSvg(byAgency());
    const one = chartSvg(twoBars());
    const line = chartSvg(onTimeTrend({ series: [{ name: 'Đúng hạn', values: MONTHS.map(() => 80) }, { name: 'Quá hạn', values: MONTHS.map(() => 20) }] }));

    expect(texts(several, 'legend')).toEqual(TASK_CATEGORIES.map((category) => category.label));
    expect(texts(line, 'legend')).toEqual(['Đúng hạn', 'Quá hạn']);
    expect(one).not.toContain('class="legend"');
    expect(chartSvg(onTimeTrend())).not.toContain('class="legend"');
  });

  it('wraps a long agency name and ends it with "…" when it still does not fit, keeping the whole name as a tooltip', () => {
    const long = 'Ban Quản lý các khu công nghiệp, khu kinh tế cửa khẩu và khu công nghệ cao tỉnh cùng các đơn vị trực thuộc';
    const svg = chartSvg(twoBars({ categories: [long, 'Sở Tư pháp'] }), { width: 600 });
    const label = /<g class="categories">\n(<text[^]*?<\/text>)/.exec(svg)![1];
    const lines = [...label.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map(([, line]) => line);
    const column = +elements(svg, 'text', label)[0].x - 16;

    expect(lines).toHaveLength(2);
    expect(lines[1].endsWith('…')).toBe(true);
    lines.forEach((line) => expect(textWidth(line, 12)).toBeLessThanOrEqual(column));
    expect(label).toContain(`<title>${long}</title>`);
  });

  it('keeps column labels within their band, so neighbours never overlap', () => {
    const svg = chartSvg(twoBars({ horizontal: false, categories: AGENCIES, series: [{ name: 'x', values: [1, 2, 3, 4] }] }), { width: 500 });
    const band = (500 - 16 - +elements(svg, 'line', group(svg, 'grid'))[0].x1) / AGENCIES.length;
    const lines = [...group(svg, 'categories').matchAll(/<tspan[^>]*>([^<]*)<\/tspan>|<text[^>]*>([^<]+)<\/text>/g)].map(([, tspan, text]) => tspan ?? text);

    expect(lines.length).toBeGreaterThan(AGENCIES.length);
    lines.forEach((line) => expect(textWidth(line, 12)).toBeLessThanOrEqual(band - 6));
  });

  it('draws null values as gaps: no bar, a break in the line', () => {
    const barSvg = chartSvg(twoBars({ series: [{ name: 'x', values: [null, 60] }] }));
    const lineSvg = chartSvg(onTimeTrend());
    const path = elements(lineSvg, 'path')[0].d;

    expect(bars(barSvg)).toHaveLength(1);
    expect(texts(barSvg, 'values')).toEqual(['60%']);
    expect(path.match(/M/g)).toHaveLength(2);
    expect(path.match(/L/g)).toHaveLength(9);
    expect(elements(lineSvg, 'circle')).toHaveLength(11);
  });

  it.each<[string, Chart]>([
    ['no categories', byAgency({ categories: [], series: TASK_CATEGORIES.map((category) => ({ name: category.label, values: [] })) })],
    ['no series', byAgency({ series: [] })],
    ['only nulls', twoBars({ series: [{ name: 'x', values: [null, null] }] })],
    ['a line of nulls', onTimeTrend({ series: [{ name: 'x', values: MONTHS.map(() => null) }] })],
    ['no labels', onTimeTrend({ labels: [], series: [] })],
  ])('says "Chưa có số liệu" for %s rather than throwing', (_, chart) => {
    const svg = chartSvg(chart);

    expect(wellFormed(svg)).toBe(true);
    expect(texts(svg)).toEqual([chart.title, 'Chưa có số liệu']);
    expect(svg).not.toMatch(/class="(bar|line|legend)"/);
  });

  it('fits the height of horizontal bars to the number of categories; columns and lines default to 450', () => {
    const height = (chart: Chart) => +elements(chartSvg(chart), 'svg')[0].height;
    const many = Array.from({ length: 20 }, (_, i) => `Xã ${i + 1}`);

    expect(height(twoBars({ categories: many, series: [{ name: 'x', values: many.map((_, i) => i) }] }))).toBeGreaterThan(height(twoBars()) + 300);
    expect(height(twoBars({ horizontal: false }))).toBe(450);
    expect(height(onTimeTrend())).toBe(450);
    expect(height(twoBars())).toBeLessThan(450);
    expect(+elements(chartSvg(twoBars(), { width: 640, height: 300 }), 'svg')[0].height).toBe(300);
  });

  it('writes numbers the Vietnamese way and counts on whole ticks', () => {
    const svg = chartSvg(twoBars({ unit: undefined, series: [{ name: 'x', values: [1234.5, 3] }] }));
    const counts = chartSvg(twoBars({ unit: undefined, series: [{ name: 'x', values: [2, 1] }] }));

    expect(texts(svg, 'values')).toEqual(['1.234,5', '3']);
    expect(texts(counts, 'grid').every((tick) => /^\d+$/.test(tick))).toBe(true);
  });

  it('says a unit other than % once, above the plot', () => {
    const svg = chartSvg(onTimeTrend({ unit: 'nhiệm vụ', series: [{ name: 'x', values: MONTHS.map((_, i) => i) }] }));

    expect(texts(svg)).toContain('Đơn vị: nhiệm vụ');
    expect(texts(svg, 'grid')).toEqual(['0', '2', '4', '6', '8', '10', '12']);
  });

  it('is deterministic, and the same for decomposed (NFD) Vietnamese text', () => {
    const nfd = byAgency({ title: byAgency().title.normalize('NFD'), categories: AGENCIES.map((agency) => agency.normalize('NFD')) });

    expect(chartSvg(byAgency())).toBe(chartSvg(byAgency()));
    expect(chartSvg(nfd)).toBe(chartSvg(byAgency()));
  });

  it.each<[string, Chart]>([
    ['a series longer than the categories', twoBars({ series: [{ name: 'x', values: [1, 2, 3] }] })],
    ['a series shorter than the labels', onTimeTrend({ series: [{ name: 'x', values: [1] }] })],
    ['NaN', twoBars({ series: [{ name: 'x', values: [NaN, 1] }] })],
    ['Infinity', onTimeTrend({ series: [{ name: 'x', values: MONTHS.map(() => Infinity) }] })],
    ['a negative value in a stacked chart', byAgency({ categories: ['A'], series: [{ name: 'x', values: [3] }, { name: 'y', values: [-1] }] })],
    ['a colour that is not #rrggbb', twoBars({ series: [{ name: 'x', values: [1, 2], color: 'red"/><script>' }] })],
    ['a value that is not a number', twoBars({ series: [{ name: 'x', values: ['1' as unknown as number, 2] }] })],
    ['an unknown kind', { ...twoBars(), kind: 'pie' } as unknown as Chart],
    ['a max below the min', onTimeTrend({ min: 50, max: 40 })],
  ])('rejects %s as CHART.INVALID_DATA', (_, chart) => {
    const error = errorOf(() => chartSvg(chart));

    expect(error).toBeInstanceOf(ChartError);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.code).toBe('CHART.INVALID_DATA');
  });

  it('draws negative values of an unstacked chart from the zero line', () => {
    const svg = chartSvg(twoBars({ unit: '', series: [{ name: 'x', values: [-10, 20] }] }));
    const [negative, positive] = bars(svg);
    const zero = gridline(svg, '0');

    expect(negative.x + negative.width).toBeCloseTo(zero, 2);
    expect(positive.x).toBeCloseTo(zero, 2);
    expect(Math.abs(positive.width - 2 * negative.width)).toBeLessThanOrEqual(0.02);
    expect(texts(svg, 'values')).toEqual(['\u221210', '20']);
  });

  it.each([{ width: 99 }, { width: 4001 }, { height: 50 }, { height: 5000 }, { width: 640.5 }, { width: NaN }])('rejects the size %p as CHART.INVALID_SIZE', (size) => {
    const error = errorOf(() => chartSvg(twoBars(), size));

    expect(error).toBeInstanceOf(ChartError);
    expect(error.code).toBe('CHART.INVALID_SIZE');
  });
});

// ---- PNG ------------------------------------------------------------------------------------------

describe('chartPng', () => {
  it('renders a PNG of the size times the scale (2 by default)', () => {
    const drawn = chartPng(byAgency(), { width: 640 });
    const height = +elements(chartSvg(byAgency(), { width: 640 }), 'svg')[0].height;

    expect(decodePng(drawn.png)).toMatchObject({ width: 1280, height: 2 * height });
    expect(drawn).toMatchObject({ width: 1280, height: 2 * height });
    expect(chartPng(onTimeTrend(), { width: 300, height: 200, scale: 1 })).toMatchObject({ width: 300, height: 200 });
    expect(decodePng(chartPng(onTimeTrend(), { width: 300, height: 200, scale: 3 }).png)).toMatchObject({ width: 900, height: 600 });
  });

  it('gives the same bytes for the same chart', () => {
    expect(chartPng(byAgency()).png.equals(chartPng(byAgency()).png)).toBe(true);
    expect(chartPng(onTimeTrend()).png.equals(chartPng(onTimeTrend()).png)).toBe(true);
  });

  it('draws Vietnamese letters with the shipped font: each is its base letter plus its marks, not an empty or missing-glyph box', () => {
    const titled = (title: string) => chartPng(twoBars({ title, categories: [], series: [] }), { width: 200, height: 150, scale: 2 }).png;
    const titleInk = (title: string) => ink(titled(title), 2 * 16, 2 * 40); // the title's line, above the "no data" box

    expect(titleInk('').size).toBe(0);
    for (const [marked, base] of [['Đ', 'D'], ['Ệ', 'E'], ['ạ', 'a'], ['ố', 'o']]) {
      const [withMarks, without] = [titleInk(marked), titleInk(base)];
      const missing = [...without].filter((pixel) => !withMarks.has(pixel)).length;

      expect(without.size).toBeGreaterThan(50);
      expect(withMarks.size).toBeGreaterThan(without.size * 1.05);
      expect(missing).toBeLessThanOrEqual(without.size * 0.02);
    }
    expect(titled('Sở Tư pháp – Đúng hạn – Quá hạn – Tháng 11').equals(titled('So Tu phap - Dung han - Qua han - Thang 11'))).toBe(false);
  });

  it('rejects a scale outside 0.5..4 as CHART.INVALID_SIZE', () => {
    for (const scale of [0, 0.25, 5, NaN]) expect(errorOf(() => chartPng(twoBars(), { scale })).code).toBe('CHART.INVALID_SIZE');
    expect(errorOf(() => chartPng(twoBars(), { width: 50 })).code).toBe('CHART.INVALID_SIZE');
  });
});

describe('TASK_CATEGORIES', () => {
  it('lists the four categories of the national task-tracking system in order, each with its own colour', () => {
    expect(TASK_CATEGORIES.map(({ key, label }) => [key, label])).toEqual([
      ['doneOnTime', 'Hoàn thành đúng hạn'],
      ['doneLate', 'Hoàn thành quá hạn'],
      ['openOnTime', 'Đang thực hiện trong hạn'],
      ['openOverdue', 'Đang thực hiện quá hạn'],
    ]);
    expect(new Set(TASK_CATEGORIES.map((category) => category.color)).size).toBe(4);
    expect(Object.isFrozen(TASK_CATEGORIES) && Object.isFrozen(TASK_CATEGORIES[0])).toBe(true);
  });
});
