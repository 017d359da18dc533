import { InvalidInputError } from '@thihanh/domain';

export type OfficialDocumentErrorCode =
  | 'OFFICIAL_DOCUMENT.REQUIRED'
  | 'OFFICIAL_DOCUMENT.INVALID_DATE'
  | 'OFFICIAL_DOCUMENT.INVALID_TABLE'
  | 'OFFICIAL_DOCUMENT.INVALID_IMAGE';

/** A document that cannot be laid out as asked: invalid input (400). */
export class OfficialDocumentError extends InvalidInputError {
  constructor(code: OfficialDocumentErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
