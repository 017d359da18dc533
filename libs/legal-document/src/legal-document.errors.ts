import { InvalidInputError } from '@thihanh/domain';

export type LegalDocumentErrorCode = 'LEGAL_DOCUMENT.UNSUPPORTED_TYPE' | 'LEGAL_DOCUMENT.NOT_UTF8' | 'LEGAL_DOCUMENT.BAD_DOCX';

/** A draft file that cannot be turned into text: invalid input (400). */
export class LegalDocumentError extends InvalidInputError {
  constructor(code: LegalDocumentErrorCode, message: string) {
    super(code, message);
  }
}
