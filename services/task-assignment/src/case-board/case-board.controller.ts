import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { AuthenticatedActor, CurrentActor, Roles, seesEverything } from '@thihanh/auth';
import { CLOCK, Clock, ForbiddenError, NotFoundError, vietnamDay } from '@thihanh/domain';
import { Database, PostgresEventStore } from '@thihanh/event-store';
import { IsDay, ParseIdPipe } from '@thihanh/http';
import { DATABASE, EVENT_STORE } from '@thihanh/platform';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { assignmentStreamId } from '../assignment/assignment.events';
import { CASE_COLUMNS, ListCases } from './list-cases.query';
import { GetCaseBoard } from './get-case-board.query';

class CaseQuery {
  @IsOptional() @Matches(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/) agencyId?: string;
  @IsOptional() @IsUUID() planId?: string;
  @IsOptional() @IsIn(['waiting', 'assigned', 'acknowledged', 'in_progress', 'submitted', 'returned', 'accepted', 'blocked', 'cancelled']) status?: string;
  @IsOptional() @IsDay() dueBefore?: string;
  @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() overdue?: boolean;
  @IsOptional() @IsString() @Length(1, 200) q?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit = 100;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

const ALL = ['member', 'coordinator', 'auditor', 'operator'] as const;

/** Hồ sơ nhiệm vụ / cases: an agency sees its own; leads and the plan's coordinator see the board. */
@ApiTags('cases')
@Controller()
export class CaseBoardController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('cases')
  @Roles(...ALL)
  list(@Query() query: CaseQuery, @CurrentActor() actor: AuthenticatedActor) {
    if (query.agencyId && query.agencyId !== actor.agencyId && !seesEverything(actor)) {
      throw new ForbiddenError('CASE.OTHER_AGENCY', 'An agency lists its own cases only');
    }
    const agencyId = seesEverything(actor) ? query.agencyId : actor.agencyId;
    return this.queries.execute(new ListCases({ ...query, agencyId, today: vietnamDay(this.clock.now()) }));
  }

  /** A case with its whole history: every event with who, when and why. */
  @Get('cases/:id')
  @Roles(...ALL)
  async get(@Param('id', ParseIdPipe) id: string, @CurrentActor() actor: AuthenticatedActor) {
    const { rows } = await this.db.query<Record<string, unknown> & { agencyId: string; leadAgencyIds: string[]; planCoordinatorAgencyId: string | null }>(
      `SELECT ${CASE_COLUMNS} FROM assignment_cases WHERE assignment_id = $1`,
      [id],
    );
    const found = rows[0];
    const involved = found && [found.agencyId, ...found.leadAgencyIds, found.planCoordinatorAgencyId].includes(actor.agencyId);
    // Another agency's case is not shown to exist.
    if (!found || !(involved || seesEverything(actor))) throw new NotFoundError('CASE.NOT_FOUND', `No case ${id}`, { id });
    const history = await this.store.readStream(assignmentStreamId(id));
    // A lead's case shows what its coordinators contribute to the same task and cycle.
    const contributions =
      found['role'] === 'lead'
        ? (
            await this.db.query(
              `SELECT assignment_id AS "assignmentId", agency_id AS "agencyId", status, percent, deliverables
                 FROM assignment_cases WHERE plan_id = $1 AND task_number = $2 AND cycle = $3 AND role = 'coordinator'
                ORDER BY agency_id`,
              [found['planId'], found['taskNumber'], found['cycle']],
            )
          ).rows
        : undefined;
    return {
      ...found,
      ...(contributions ? { contributions } : {}),
      history: history.map((e) => ({ version: e.streamVersion, type: e.type, recordedAt: e.recordedAt, actor: e.metadata.actor, correlationId: e.metadata.correlationId, causationId: e.metadata.causationId, data: e.data })),
    };
  }

  @Get('plans/:planId/board')
  @Roles(...ALL)
  async board(@Param('planId', ParseIdPipe) planId: string, @CurrentActor() actor: AuthenticatedActor) {
    const today = vietnamDay(this.clock.now());
    const { rows } = await this.db.query<{ known: boolean; coordinator: boolean; lead: boolean }>(
      `SELECT count(*) > 0 AS known, bool_or(plan_coordinator_agency_id = $2) AS coordinator, bool_or($2 = ANY (lead_agency_ids)) AS lead
         FROM assignment_cases WHERE plan_id = $1`,
      [planId, actor.agencyId],
    );
    // A plan with no case here has no board, for auditors and operators too.
    if (rows[0]?.known && (seesEverything(actor) || rows[0].coordinator)) return this.queries.execute(new GetCaseBoard(planId, today));
    if (rows[0]?.lead) return this.queries.execute(new GetCaseBoard(planId, today, actor.agencyId));
    throw new NotFoundError('BOARD.NOT_FOUND', `No board of plan ${planId} for ${actor.agencyId}`, { planId });
  }
}
