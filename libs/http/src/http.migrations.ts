import { HttpIdempotency1764100000000 } from './migrations/1764100000000-http-idempotency';

/** A service's data source runs these with its own migrations. */
export const HTTP_MIGRATIONS = [HttpIdempotency1764100000000];
