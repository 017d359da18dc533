export { Block, OfficialDocument, officialDocx, placeAndDate } from './official-document';
export * from './official-document.errors';
export { zipOf } from './zip-archive';
