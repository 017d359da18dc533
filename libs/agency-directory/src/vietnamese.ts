/**
 * Keys for comparing Vietnamese agency names as officials write them: composed or decomposed,
 * old ("hoà", "thuỷ") or new ("hòa", "thủy") tone-mark placement, any case, abbreviated or not.
 */

// Tone marks in NFD, and the digit a syllable's tone becomes in a match key. The other marks
// (circumflex U+0302, breve U+0306, horn U+031B) are letters in Vietnamese and stay.
const TONE_DIGITS: Record<string, string> = {
  '\u0301': '1', // sắc
  '\u0300': '2', // huyền
  '\u0309': '3', // hỏi
  '\u0303': '4', // ngã
  '\u0323': '5', // nặng
};
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

// Whole-word abbreviations the documents use for the bodies themselves (not their short names,
// which are aliases in the directory). Keys are upper case NFC.
const ABBREVIATIONS: Record<string, string> = {
  UBND: 'ủy ban nhân dân',
  'HĐND': 'hội đồng nhân dân',
  HDND: 'hội đồng nhân dân',
  VP: 'văn phòng',
  PCT: 'phó chủ tịch',
};

const LEADING_JUNK = /^[\s"“”„'‘’«»([{*_•+\-–—]+/u;
const TRAILING_JUNK = /[\s"“”'‘’»)\]}*_.,;:/!?…¹²³⁴⁵⁶⁷⁸⁹⁰]+$/u;

/** Trims what surrounds a name in running text: list bullets, quotes, brackets, end punctuation, footnote marks. */
function stripSurroundings(text: string): string {
  let current = text;
  for (;;) {
    const next = current.replace(LEADING_JUNK, '').replace(TRAILING_JUNK, '');
    if (next === current) return current;
    current = next;
  }
}

function tokens(text: string): string[] {
  return stripSurroundings(text.normalize('NFC'))
    .replace(/&/g, ' và ')
    // "Sở Văn hóa, Thể thao và Du lịch" and "Sở Văn hóa Thể thao và Du lịch" are the same agency;
    // a list of agencies is split by the caller before it gets here.
    .replace(/[,;\-–—]/g, ' ')
    .replace(/:/g, ' : ')
    .split(/\s+/)
    .filter((token) => token.length > 0);
}

function expand(token: string): string[] {
  const expansion = ABBREVIATIONS[token.toUpperCase()];
  return expansion ? expansion.split(' ') : [token];
}

function syllableKey(syllable: string): string {
  const decomposed = syllable.toLowerCase().normalize('NFD');
  const tones = (decomposed.match(TONE_MARKS) ?? []).map((mark) => TONE_DIGITS[mark]).sort();
  return decomposed.replace(TONE_MARKS, '').normalize('NFC') + tones.join('');
}

/**
 * The key two spellings of one name share: "Ủy ban nhân dân tỉnh", "UBND tỉnh", "Uỷ ban nhân dân  Tỉnh."
 * all give "uy3 ban nhân dân tinh3". Each syllable loses its tone mark and gets the tone as a digit,
 * so where the mark sat (hoà/hòa) no longer matters.
 */
export function matchKey(text: string): string {
  return tokens(text).flatMap(expand).map(syllableKey).join(' ');
}

function withoutDiacritics(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** Diacritic- and case-insensitive key for search boxes: "son la" finds "Sơn La", "da mai" finds "Đa Mai". */
export function searchKey(text: string): string {
  return withoutDiacritics(text.normalize('NFC'))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** ASCII kebab-case: "Sở Văn hóa, Thể thao và Du lịch" → "so-van-hoa-the-thao-va-du-lich". */
export function slugify(text: string): string {
  return searchKey(text).replace(/ /g, '-');
}
