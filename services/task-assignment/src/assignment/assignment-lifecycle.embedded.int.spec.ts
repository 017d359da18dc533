import { embeddedStore } from '@thihanh/fixtures';
import { lifecycleSuite } from './assignment-lifecycle.suite';

// The same suite on the embedded PostgreSQL `npm start` runs on.
describe('a case’s lifecycle over HTTP (embedded PostgreSQL, as npm start runs it)', () => lifecycleSuite(() => embeddedStore('task_assignment')));
