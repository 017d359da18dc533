import { postgresStore } from '@thihanh/fixtures';
import { describeWithPostgres } from '@thihanh/testing';
import { consultationSuite } from './consultation.suite';

describeWithPostgres('a consultation on a draft decree over HTTP: comments, consolidation, the response (PostgreSQL)', () => consultationSuite(postgresStore));
