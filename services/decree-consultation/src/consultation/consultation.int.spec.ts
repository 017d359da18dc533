import { describeWithPostgres } from '@thihanh/testing';
import { consultationSuite, onPostgres } from './consultation.suite';

describeWithPostgres('a consultation on a draft decree over HTTP: comments, consolidation, the response (PostgreSQL)', () => consultationSuite(onPostgres));
