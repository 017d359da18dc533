import { embeddedStore } from '@thihanh/fixtures';
import { consultationSuite } from './consultation.suite';

// The same suite on the embedded PostgreSQL `npm start` runs on: the same routes, handlers and projections.
describe('a consultation on a draft decree over HTTP: comments, consolidation, the response (embedded PostgreSQL, as npm start runs it)', () =>
  consultationSuite(() => embeddedStore('decree_consultation')));
