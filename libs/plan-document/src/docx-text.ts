import { crc32, inflateRawSync } from 'node:zlib';
import { PlanDocumentError } from './plan-document.errors';

const MAX_XML_BYTES = 64 * 1024 * 1024;

/**
 * The text of a .docx as the plan parser reads it: one line per paragraph (<w:p>), one line per
 * table row (<w:tr>) with cells between pipes ("| 1 | Tuyên truyền | Công an tỉnh |"), the
 * paragraphs of a cell joined by "; ". Numbering Word draws itself (w:numPr) is not rendered: plans
 * type their "1.", "a)" and "-" as text, and those survive.
 */
export function docxText(docx: Buffer): string {
  return documentXmlToText(unzipEntry(docx, 'word/document.xml').toString('utf8'));
}

/** One entry of a zip archive (stored or deflated), found through the central directory. */
export function unzipEntry(zip: Buffer, name: string): Buffer {
  const eocd = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (at === 0xffffffff) throw bad('ZIP64 archives are not supported');
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) throw bad('broken central directory');
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) throw bad(`broken local header of ${name}`);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressedSize);
      if (size > MAX_XML_BYTES) throw bad(`${name} is larger than ${MAX_XML_BYTES} bytes`);
      let content: Buffer;
      if (method === 0) content = data;
      else if (method === 8) content = inflate(data);
      else throw bad(`${name} uses compression method ${method}`);
      if (content.length !== size || crc32(content) >>> 0 !== crc) throw bad(`${name} is corrupt (size or CRC mismatch)`);
      return content;
    }
    at = next;
  }
  throw bad(`no ${name}: is it a Word document?`);
}

function inflate(data: Buffer): Buffer {
  try {
    return inflateRawSync(data, { maxOutputLength: MAX_XML_BYTES });
  } catch (error) {
    throw bad(`cannot inflate: ${(error as Error).message}`);
  }
}

function findEndOfCentralDirectory(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at -= 1) {
    if (zip.readUInt32LE(at) === 0x06054b50) return at;
  }
  throw bad('not a zip archive');
}

function bad(reason: string): PlanDocumentError {
  return new PlanDocumentError('PLAN_DOCUMENT.BAD_DOCX', `Not a readable .docx: ${reason}`);
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return ENTITIES[entity] ?? whole;
    return String.fromCodePoint(entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
  });
}

/** Elements whose text is not part of the document as shown: deletions, field codes, fallbacks. */
const HIDDEN = new Set(['w:delText', 'w:instrText', 'mc:Fallback', 'w:del', 'w:txbxContent']);

export function documentXmlToText(xml: string): string {
  const lines: string[] = [];
  let paragraph: string | null = null;
  let inText = false;
  let hidden = 0;
  let tableDepth = 0;
  let row: string[] | null = null;
  let cell: string[] | null = null;
  let span = 1;

  const endParagraph = () => {
    if (paragraph === null) return;
    if (tableDepth > 0 && cell) cell.push(paragraph);
    else if (tableDepth === 0) lines.push(paragraph);
    paragraph = null;
  };

  for (const m of xml.matchAll(/<(\/?)([\w:.-]+)([^>]*?)(\/?)>|([^<]+)/g)) {
    const [, closing, tag, attributes, selfClosing, text] = m;
    if (text !== undefined) {
      if (inText && !hidden && paragraph !== null) paragraph += decodeXml(text);
      continue;
    }
    if (HIDDEN.has(tag)) {
      if (!selfClosing) hidden += closing ? -1 : 1;
      continue;
    }
    if (hidden) continue;
    const open = !closing;
    switch (tag) {
      case 'w:p':
        if (open) paragraph = '';
        if (closing || selfClosing) endParagraph();
        break;
      case 'w:t':
        inText = open && !selfClosing;
        break;
      case 'w:tab':
        if (paragraph !== null && open) paragraph += '\t';
        break;
      case 'w:br':
      case 'w:cr':
        if (paragraph !== null && open) {
          endParagraph();
          paragraph = '';
        }
        break;
      case 'w:noBreakHyphen':
        if (paragraph !== null && open) paragraph += '-';
        break;
      case 'w:tbl':
        if (open) {
          endParagraph();
          tableDepth += 1;
        } else tableDepth -= 1;
        break;
      case 'w:tr':
        if (tableDepth !== 1) break;
        if (open && !selfClosing) row = [];
        else if (closing && row) {
          lines.push(`| ${row.join(' | ')} |`);
          row = null;
        }
        break;
      case 'w:tc':
        if (tableDepth !== 1) break;
        if (open && !selfClosing) {
          cell = [];
          span = 1;
        } else if (closing && cell && row) {
          row.push(cellText(cell), ...Array<string>(span - 1).fill(''));
          cell = null;
        }
        break;
      case 'w:gridSpan':
        if (tableDepth === 1 && cell) span = Number(/w:val="(\d+)"/.exec(attributes)?.[1] ?? 1);
        break;
    }
  }
  return lines.join('\n');
}

function cellText(paragraphs: string[]): string {
  return paragraphs
    .map((p) => p.replace(/\s+/g, ' ').replace(/\|/g, '/').trim().replace(/[;,]$/, ''))
    .filter(Boolean)
    .join('; ');
}
