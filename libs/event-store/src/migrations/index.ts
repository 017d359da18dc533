import { EventStore1764000000000 } from './1764000000000-event-store';

/** Every service's data source runs these before its own migrations. */
export const EVENT_STORE_MIGRATIONS = [EventStore1764000000000];
