export type PlanDocumentErrorCode =
  | 'PLAN_DOCUMENT.UNREADABLE'
  | 'PLAN_DOCUMENT.UNSUPPORTED_TYPE'
  | 'PLAN_DOCUMENT.NOT_UTF8'
  | 'PLAN_DOCUMENT.BAD_DOCX';

/** A plan file the importer cannot turn into text. The plan registry maps it to a 400. */
export class PlanDocumentError extends Error {
  constructor(
    readonly code: PlanDocumentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PlanDocumentError';
  }
}
