import { textWidth, FontWeight } from './dejavu-font';

const ELLIPSIS = '…';

/** NFC (so "Đúng hạn" typed as decomposed marks measures and renders the same), no XML-forbidden characters, one space between words. */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.normalize('NFC').replace(/[\u0000-\u001F\u007F\uFFFE\uFFFF]/g, ' ').replace(/\s+/g, ' ').trim();
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * Vietnamese number style, as the reports print them: "1.234", "66,7". At most `decimals` decimals,
 * trailing zeros dropped; U+2212 for minus.
 */
export function formatNumber(value: number, decimals = 1): string {
  const rounded = Math.abs(value).toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  const [whole, fraction] = rounded.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, '.');
  const negative = value < 0 && /[1-9]/.test(rounded);
  return `${negative ? '\u2212' : ''}${grouped}${fraction ? `,${fraction}` : ''}`;
}

/** The longest start of `text` that, followed by "…", fits in `width`; `text` itself when it fits. */
export function truncate(text: string, width: number, size: number, weight: FontWeight = 'normal'): string {
  if (textWidth(text, size, weight) <= width) return text;
  const chars = [...text];
  for (let keep = chars.length - 1; keep > 0; keep--) {
    const candidate = chars.slice(0, keep).join('').trimEnd() + ELLIPSIS;
    if (textWidth(candidate, size, weight) <= width) return candidate;
  }
  return textWidth(ELLIPSIS, size, weight) <= width ? ELLIPSIS : '';
}

/**
 * `text` broken at spaces into at most `maxLines` lines no wider than `width` (a word wider than a line
 * is cut between letters); the last line ends in "…" when the rest does not fit.
 */
export function wrapText(text: string, width: number, size: number, maxLines: number, weight: FontWeight = 'normal'): string[] {
  const fits = (line: string) => textWidth(line, size, weight) <= width;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter(Boolean)) {
    const joined = line ? `${line} ${word}` : word;
    if (fits(joined)) {
      line = joined;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (!fits(line) && line.length > 1) {
      const chars = [...line];
      let keep = chars.length - 1;
      while (keep > 1 && !fits(chars.slice(0, keep).join(''))) keep--;
      lines.push(chars.slice(0, keep).join(''));
      line = chars.slice(keep).join('');
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const last = truncate(`${lines[maxLines - 1]} ${lines[maxLines]}`, width, size, weight);
  return [...lines.slice(0, maxLines - 1), last.endsWith(ELLIPSIS) ? last : truncate(`${lines[maxLines - 1]}${ELLIPSIS}`, width, size, weight)];
}
