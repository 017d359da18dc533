import { EventStore1764000000000 } from './1764000000000-event-store';
import { EventStoreAppendOne1765000000000 } from './1765000000000-es-append-one';
import { EventStoreOpenStreams1765000000100 } from './1765000000100-es-open-streams';

/** Every service's data source runs these before its own migrations. */
export const EVENT_STORE_MIGRATIONS = [EventStore1764000000000, EventStoreAppendOne1765000000000, EventStoreOpenStreams1765000000100];
