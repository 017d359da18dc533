export * from './legal-document';
export * from './legal-document.errors';
export { LegalPlace, LocatedPlace, POINT_LETTERS, anchorOf, describeAnchor, locate, parseAnchor } from './legal-anchor';
export { parseLegalDocument } from './legal-parser';
export { ArticleChange, ChangeStatus, ClauseChange, LinkStatus, PointChange, RelinkedComment, diffLegalDocuments, relinkComments } from './legal-diff';
export { LEGAL_FILE_TYPES, legalDocumentText } from './legal-file';
