import { readFileSync } from 'node:fs';

export type FontWeight = 'normal' | 'bold';

/**
 * The TTFs every chart is drawn and measured with. Resolved through the package, not a path relative to
 * this file or the cwd, so it works from the repository, a clone, Jest or a service started anywhere.
 */
export const fontFiles = (): Record<FontWeight, string> => ({
  normal: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
});

interface Metrics {
  unitsPerEm: number;
  advances: Map<number, number>;
  missing: number;
}

const loaded: Partial<Record<FontWeight, Metrics>> = {};

/**
 * Advance widths straight from the font (cmap format 12 + hmtx), read on first use. Layout (wrapping,
 * "…", column widths) needs real widths: a guess per character is off by 30 % on "Sở Nông nghiệp".
 * Kerning is ignored; in DejaVu it only ever narrows text, so measured widths are a safe upper bound.
 */
function metrics(weight: FontWeight): Metrics {
  return (loaded[weight] ??= readMetrics(readFileSync(fontFiles()[weight])));
}

function readMetrics(ttf: Buffer): Metrics {
  const tables = new Map<string, number>();
  for (let i = 0, count = ttf.readUInt16BE(4); i < count; i++) {
    tables.set(ttf.toString('latin1', 12 + 16 * i, 16 + 16 * i), ttf.readUInt32BE(20 + 16 * i));
  }
  const table = (tag: string) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`DejaVu Sans has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = ttf.readUInt16BE(table('head') + 18);
  const longMetrics = ttf.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advanceOf = (glyph: number) => ttf.readUInt16BE(hmtx + 4 * Math.min(glyph, longMetrics - 1));

  const cmap = table('cmap');
  let groups = -1;
  for (let i = 0, count = ttf.readUInt16BE(cmap + 2); i < count; i++) {
    const record = cmap + 4 + 8 * i;
    const subtable = cmap + ttf.readUInt32BE(record + 4);
    if (ttf.readUInt16BE(record) === 3 && ttf.readUInt16BE(record + 2) === 10 && ttf.readUInt16BE(subtable) === 12) groups = subtable;
  }
  if (groups < 0) throw new Error('DejaVu Sans has no Unicode full-repertoire cmap');
  const advances = new Map<number, number>();
  for (let i = 0, count = ttf.readUInt32BE(groups + 12); i < count; i++) {
    const group = groups + 16 + 12 * i;
    const [first, last, glyph] = [ttf.readUInt32BE(group), ttf.readUInt32BE(group + 4), ttf.readUInt32BE(group + 8)];
    for (let code = first; code <= last; code++) advances.set(code, advanceOf(glyph + code - first));
  }
  return { unitsPerEm, advances, missing: advanceOf(0) };
}

/** The width in px of `text` (already NFC) set in DejaVu Sans at `size` px. */
export function textWidth(text: string, size: number, weight: FontWeight = 'normal'): number {
  const font = metrics(weight);
  let units = 0;
  for (const char of text) units += font.advances.get(char.codePointAt(0) ?? 0) ?? font.missing;
  return (units * size) / font.unitsPerEm;
}
