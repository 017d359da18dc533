import { postgresStore } from '@thihanh/fixtures';
import { describeWithPostgres } from '@thihanh/testing';
import { lifecycleSuite } from './assignment-lifecycle.suite';

describeWithPostgres('a case’s lifecycle over HTTP (PostgreSQL)', () => lifecycleSuite(postgresStore));
