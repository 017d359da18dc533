import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { docxText } from './docx-text';
import type { ParsedPlan } from './plan-document';
import { PlanDocumentError } from './plan-document.errors';
import { ParseOptions, parsePlan } from './plan-parser';

export interface PlanSource {
  fileName: string;
  sha256: string;
}

export const PLAN_FILE_TYPES = ['.txt', '.docx'] as const;

/** The text of a plan file: UTF-8 (or UTF-16 with a byte-order mark) .txt, or a .docx. */
export function planText(fileName: string, content: Buffer): string {
  const type = extname(fileName).toLowerCase();
  if (type === '.docx') return docxText(content);
  if (type !== '.txt') {
    const hint = type === '.doc' ? ' (save it as .docx)' : '';
    throw new PlanDocumentError(
      'PLAN_DOCUMENT.UNSUPPORTED_TYPE',
      `Unsupported plan file type "${type || '(none)'}" for ${basename(fileName)}${hint}: expected ${PLAN_FILE_TYPES.join(' or ')}`,
    );
  }
  if (content[0] === 0xff && content[1] === 0xfe) return content.subarray(2).toString('utf16le');
  if (content[0] === 0xfe && content[1] === 0xff) return Buffer.from(content.subarray(2)).swap16().toString('utf16le');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw new PlanDocumentError('PLAN_DOCUMENT.NOT_UTF8', `${basename(fileName)} is not UTF-8 text: save it as UTF-8 or as .docx`);
  }
}

/** Reads and parses a plan file; the source identifies the exact bytes imported. */
export async function parsePlanFile(path: string, options: ParseOptions = {}): Promise<{ plan: ParsedPlan; source: PlanSource }> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new PlanDocumentError('PLAN_DOCUMENT.UNREADABLE', `Cannot read plan file ${path}: ${reason}`);
  }
  const plan = parsePlan(planText(path, content), options);
  return { plan, source: { fileName: basename(path), sha256: createHash('sha256').update(content).digest('hex') } };
}
