import { extname, basename } from 'node:path';
import { docxText } from '@thihanh/plan-document';
import { LegalDocumentError } from './legal-document.errors';

export const LEGAL_FILE_TYPES = ['.txt', '.docx'] as const;

/** The text of a draft file: a UTF-8 .txt, or a .docx (one line per paragraph). */
export function legalDocumentText(fileName: string, content: Buffer): string {
  const type = extname(fileName).toLowerCase();
  const name = basename(fileName);
  if (type === '.docx') {
    try {
      return docxText(content);
    } catch (error) {
      throw new LegalDocumentError('LEGAL_DOCUMENT.BAD_DOCX', `${name}: ${(error as Error).message}`);
    }
  }
  if (type !== '.txt') {
    const hint = type === '.doc' ? ' (save it as .docx)' : '';
    throw new LegalDocumentError(
      'LEGAL_DOCUMENT.UNSUPPORTED_TYPE',
      `Unsupported draft file type "${type || '(none)'}" for ${name}${hint}: expected ${LEGAL_FILE_TYPES.join(' or ')}`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new LegalDocumentError('LEGAL_DOCUMENT.NOT_UTF8', `${name} is not UTF-8 text: save it as UTF-8 or as .docx`);
  }
}
