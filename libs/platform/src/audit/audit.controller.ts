import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@thihanh/auth';
import { InvalidInputError, NotFoundError } from '@thihanh/domain';
import { Database, PostgresEventStore, Projection, verifyEventLog } from '@thihanh/event-store';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { AUDITED_AGGREGATES, DATABASE, EVENT_STORE, PROJECTIONS, SERVICE_NAME } from '../tokens';
import { bundlePart } from './bundle';
import { AuditedAggregate, diffStates, stateOf } from './aggregate-state';
import { causationChain, readLog } from './audit-log';
import { replayAndCompare } from './read-model-replay';

const ID = /^[A-Za-z0-9._:-]{1,200}$/;

class LogQuery {
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @IsOptional() @Matches(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/) agencyId?: string;
  /** Comma-separated event types. */
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((t: string) => t.trim()).filter(Boolean) : value))
  @Matches(/^[A-Z][A-Za-z0-9]{1,100}$/, { each: true }) type?: string[];
  @IsOptional() @Matches(ID) correlationId?: string;
  @IsOptional() @IsString() @Length(1, 300) streamId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) after?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 200;
}
class StateQuery {
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) version?: number;
}
class BundleQuery {
  @IsUUID() planId!: string;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
}
class DiffQuery {
  @IsISO8601({ strict: true }) from!: string;
  @IsISO8601({ strict: true }) to!: string;
}

const AUDIT = ['auditor', 'operator'] as const;

/**
 * Kiểm toán / audit, on every service and read-only: the log filtered (time, agency, type, one
 * request's correlation id), why an event happened (its causes), a stream's history, an aggregate's
 * state as of an instant or a version and what changed between two instants, the log's verification,
 * and a read model replayed into fresh tables and compared with the live one.
 */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(AUDITED_AGGREGATES) private readonly aggregates: AuditedAggregate[],
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /**
   * This service's share of an audit bundle about one plan: its streams from version 1 up to the
   * period's end, and the seals anchoring them (`thihanh audit bundle` assembles the services' shares).
   */
  @Get('bundle') @Roles(...AUDIT)
  bundle(@Query() q: BundleQuery) {
    return bundlePart(this.db, this.store, this.service, q.planId, { from: q.from, to: q.to });
  }

  @Get('events') @Roles(...AUDIT)
  async events(@Query() q: LogQuery) {
    const { type, ...rest } = q;
    const items = await readLog(this.db, { ...rest, types: type });
    return { items, next: items.length === q.limit ? items[items.length - 1].position : null };
  }

  @Get('events/:eventId/causes') @Roles(...AUDIT)
  async causes(@Param('eventId') eventId: string) {
    if (!ID.test(eventId)) throw new InvalidInputError('AUDIT.INVALID_ID', `"${eventId}" is not an event id`);
    const result = await causationChain(this.db, eventId);
    if (!result.chain.length) throw new NotFoundError('AUDIT.EVENT_NOT_FOUND', `No event ${eventId} in this service's log`, { eventId });
    return result;
  }

  @Get('streams/:streamId') @Roles(...AUDIT)
  async stream(@Param('streamId') streamId: string) {
    const items = await readLog(this.db, { streamId, limit: 100_000 });
    if (!items.length) throw new NotFoundError('AUDIT.STREAM_NOT_FOUND', `No stream ${streamId}`, { streamId });
    return { streamId, items };
  }

  /** The state of an aggregate as of an instant (events recorded until then) or a version. */
  @Get('aggregates/:streamType/:id') @Roles(...AUDIT)
  async state(@Param('streamType') streamType: string, @Param('id') id: string, @Query() q: StateQuery) {
    return this.stateAt(streamType, id, q);
  }

  /** What changed in an aggregate between two instants, field by field. */
  @Get('aggregates/:streamType/:id/diff') @Roles(...AUDIT)
  async diff(@Param('streamType') streamType: string, @Param('id') id: string, @Query() q: DiffQuery) {
    const [before, after] = [await this.stateAt(streamType, id, { asOf: q.from }), await this.stateAt(streamType, id, { asOf: q.to })];
    return { from: { asOf: q.from, version: before.version }, to: { asOf: q.to, version: after.version }, changes: diffStates(before.state, after.state) };
  }

  /** Every hash chain and seal of this service's log; the first bad position and what is wrong there. */
  @Get('verify') @Roles(...AUDIT)
  verify() {
    return verifyEventLog(this.db);
  }

  /** A read model rebuilt from the log into fresh tables and compared with the live one (nothing is changed). */
  @Get('read-models/:name/replay') @Roles(...AUDIT)
  replay(@Param('name') name: string) {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new NotFoundError('AUDIT.READ_MODEL_NOT_FOUND', `No read model ${name} here (${this.projections.map((p) => p.name).join(', ') || 'none'})`, { name });
    return replayAndCompare(this.db, this.store, projection);
  }

  private async stateAt(streamType: string, id: string, at: { asOf?: string; version?: number }) {
    const kind = this.aggregates.find((a) => a.streamType === streamType);
    if (!kind) throw new NotFoundError('AUDIT.AGGREGATE_TYPE_NOT_FOUND', `No aggregate type ${streamType} here (${this.aggregates.map((a) => a.streamType).join(', ')})`, { streamType });
    const events = (await this.store.readStream(`${streamType}-${id}`, { toVersion: at.version })).filter((e) => !at.asOf || e.recordedAt <= new Date(at.asOf).toISOString());
    if (!events.length) throw new NotFoundError('AUDIT.STREAM_NOT_FOUND', `No ${streamType} ${id}${at.asOf || at.version !== undefined ? ' at that point' : ''}`, { streamType, id });
    const aggregate = kind.create(id).rehydrate(events.map((e) => ({ type: e.type, data: e.data })), events[events.length - 1].streamVersion);
    return { streamType, id, version: aggregate.version, asOf: at.asOf ?? events[events.length - 1].recordedAt, state: stateOf(aggregate, kind.omit) };
  }
}
