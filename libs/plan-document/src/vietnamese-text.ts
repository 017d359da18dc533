/**
 * Text forms used to compare Vietnamese without caring how it was typed.
 * Plans arrive in NFC or NFD, with old (hòa, thủy) or new (hoà, thuỷ) tone placement, and with
 * "UBND" for "Ủy ban nhân dân"; none of that may change what a line means.
 */

const TONE_DIGIT: Record<string, string> = {
  '\u0301': '1', // sắc
  '\u0300': '2', // huyền
  '\u0309': '3', // hỏi
  '\u0303': '4', // ngã
  '\u0323': '5', // nặng
};
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const PUNCTUATION = /[.,;:!?()[\]{}"'“”‘’«»/\\|*_–—-]+/g;

/** NFC, one kind of space (tabs stay: they separate header columns), no zero-width characters or byte-order mark. */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\u200b|\u200c|\u200d|\u2060|\ufeff/g, '')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ');
}

/**
 * Lower-case ASCII of an NFC string, one output unit per input unit, so that a match found in
 * the folded text can be sliced out of the original: fold("Thời hạn")[i] stands for "Thời hạn"[i].
 */
export function fold(text: string): string {
  let out = '';
  for (const ch of text) {
    let base = ch === 'đ' || ch === 'Đ' ? 'd' : ch.normalize('NFD').replace(/\p{M}/gu, '');
    base = base.toLowerCase();
    out += base.length === ch.length ? base : ch.length === 1 ? ' ' : ch;
  }
  return out;
}

/** Folded text with punctuation as spaces and spaces collapsed: for matching phrases. */
export function plainKey(text: string): string {
  return fold(cleanText(text)).replace(PUNCTUATION, ' ').replace(/\s+/g, ' ').trim();
}

function syllableKey(word: string): string {
  const decomposed = word.normalize('NFD');
  const tone = decomposed.match(TONE_MARKS)?.map((m) => TONE_DIGIT[m]).join('') ?? '';
  return decomposed.replace(TONE_MARKS, '').normalize('NFC') + tone;
}

const UBND = /(^| )uy3 ban nhân dân( |$)/g;
const HDND = /(^| )hội5 đồng2 nhân dân( |$)/g;

/**
 * The key two agency names share when they are the same name: case, NFC/NFD, tone placement
 * (the tone becomes a digit after its syllable), "UBND", punctuation and spacing do not count.
 * Tones still count: "Sở" and "Số" stay apart.
 */
export function nameKey(name: string): string {
  return cleanText(name)
    .toLowerCase()
    .replace(/[\u00b9\u00b2\u00b3\u2070-\u2079]/g, '')
    .replace(PUNCTUATION, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map(syllableKey)
    .join(' ')
    .replace(UBND, '$1ubnd$2')
    .replace(HDND, '$1hđnd$2');
}

/** ASCII kebab-case, with "Ủy ban nhân dân" as "ubnd": "Sở Văn hóa, Thể thao và Du lịch" → so-van-hoa-the-thao-va-du-lich. */
export function slugOf(name: string): string {
  return plainKey(name)
    .replace(/(^| )uy ban nhan dan( |$)/g, '$1ubnd$2')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Removes bold/italic markers (**x**, *x*, __x__) that survive copy-paste from word processors. */
export function stripEmphasis(line: string): string {
  // A "*" touching a word is emphasis; "* " at the start of a line is a bullet and stays.
  return line.replace(/\*\*|__/g, '').replace(/\*(?=\S)|(?<=\S)\*/g, '');
}

/** Drops the full stop, semicolon or comma a list item or field value ends with. */
export function trimEnd(text: string): string {
  return text.replace(/\s*\.\/\.\s*$/, '').replace(/[\s.;,:]+$/, '').trim();
}
