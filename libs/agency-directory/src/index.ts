export * from './agency';
export * from './agency-directory';
export * from './agency-directory.aggregate';
export * from './agency-directory.errors';
export * from './agency-directory.events';
export * from './directory-import-export';
export * from './seed-directory';
export { matchKey, searchKey, slugify } from './vietnamese';
