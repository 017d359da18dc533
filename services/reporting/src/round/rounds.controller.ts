import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthenticatedActor, CurrentActor, Roles, seesEverything } from '@thihanh/auth';
import { EventMetadata } from '@thihanh/contracts';
import { NotFoundError } from '@thihanh/domain';
import { AggregateRepository, Database, PostgresEventStore } from '@thihanh/event-store';
import { CommandMetadata, IfMatchVersion, IsDay, ParseIdPipe, setVersionHeaders } from '@thihanh/http';
import { DATABASE, EVENT_STORE } from '@thihanh/platform';
import { agencyDisplayName } from '@thihanh/agency-directory';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import type { Response } from 'express';
import { ActOnReport, ReportInput } from '../agency-report/act-on-report.command';
import { AgencyReport } from '../agency-report/agency-report.aggregate';
import { agencyReportIdOf } from '../agency-report/agency-report.events';
import { reportContent } from '../agency-report/report-content';
import { ReportFacts } from '../provincial-report/report-facts';
import { OpenRound } from './open-round.command';
import { agencyReportRepository } from '../agency-report/agency-report.repository';

const AGENCY_ID = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

class PeriodDto {
  @ApiProperty({ type: String }) @IsDay() from!: string;
  @ApiProperty({ type: String }) @IsDay() to!: string;
}
class RoundDto {
  @ApiProperty({ type: String, example: 'Báo cáo đột xuất kết quả tuyên truyền Luật An ninh mạng' }) @IsString() @Length(1, 500) title!: string;
  @ApiProperty({ type: String, example: '2026-09-30' }) @IsDay() dueBefore!: string;
  @ApiPropertyOptional({ type: PeriodDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => PeriodDto) period?: PeriodDto;
  @ApiPropertyOptional({ type: [String], description: 'Default: every agency with cases in scope' }) @IsOptional() @IsArray() @ArrayMaxSize(2000) @MaxLength(200, { each: true }) @Matches(AGENCY_ID, { each: true }) agencyIds?: string[];
  @ApiPropertyOptional({ type: [String], example: ['1'] }) @IsOptional() @IsArray() @ArrayMaxSize(200) @MaxLength(50, { each: true }) @Matches(/^[0-9]+(\.[a-zđ0-9]+)*$/, { each: true }) taskNumbers?: string[];
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @Length(1, 2000) note?: string;
}
class NarrativeDto {
  @ApiProperty({ type: String, description: 'Kết quả thực hiện' }) @IsString() @Length(0, 50000) results!: string;
  @ApiProperty({ type: String, description: 'Khó khăn, vướng mắc' }) @IsString() @Length(0, 50000) difficulties!: string;
  @ApiProperty({ type: String, description: 'Đề xuất, kiến nghị' }) @IsString() @Length(0, 50000) proposals!: string;
}
class ReasonDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 2000) reason!: string;
}
class ListQuery {
  @IsOptional() @IsUUID() planId?: string;
  @IsOptional() @IsIn(['open', 'reported', 'closed']) status?: string;
}

const ALL = ['member', 'coordinator', 'auditor', 'operator'] as const;
const AGENCY = ['member', 'coordinator'] as const;
const REVIEWER = ['coordinator', 'operator'] as const;

/** Kỳ báo cáo / reporting rounds and the agencies' reports in them. */
@ApiTags('reports')
@Controller()
export class RoundsController {
  private readonly reports: AggregateRepository<AgencyReport>;

  constructor(
    private readonly commands: CommandBus,
    private readonly facts: ReportFacts,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) store: PostgresEventStore,
  ) {
    this.reports = agencyReportRepository(store);
  }

  /** The rounds the caller's agency reports in or receives (auditors, operators: all). */
  @Get('rounds') @Roles(...ALL)
  async list(@Query() q: ListQuery, @CurrentActor() actor: AuthenticatedActor) {
    const { rows } = await this.db.query(
      `SELECT r.round_id AS "roundId", r.plan_id AS "planId", r.kind, r.title, to_char(r.period_from, 'YYYY-MM-DD') AS "periodFrom",
              to_char(r.period_to, 'YYYY-MM-DD') AS "periodTo", to_char(r.due_before, 'YYYY-MM-DD') AS "dueBefore", r.status,
              r.coordinator_agency_id AS "coordinatorAgencyId", cardinality(r.agency_ids) AS asked,
              (SELECT count(*) FROM rp_agency_reports a WHERE a.round_id = r.round_id AND a.submitted_at IS NOT NULL)::int AS submitted,
              (SELECT status FROM rp_agency_reports a WHERE a.round_id = r.round_id AND a.agency_id = $1) AS "myReport"
         FROM rp_rounds r
        WHERE ($2 OR r.coordinator_agency_id = $1 OR $1 = ANY (r.agency_ids)) AND ($3::uuid IS NULL OR r.plan_id = $3) AND ($4::text IS NULL OR r.status = $4)
        ORDER BY r.due_before, r.title`,
      [actor.agencyId, seesEverything(actor), q.planId ?? null, q.status ?? null],
    );
    return { items: rows };
  }

  /** Báo cáo đột xuất: the plan's coordinator asks for reports on its own terms. */
  @Post('plans/:planId/rounds') @Roles(...REVIEWER)
  async open(@Param('planId', ParseIdPipe) planId: string, @Body() b: RoundDto, @CommandMetadata() m: EventMetadata, @Res({ passthrough: true }) res: Response) {
    const result = await this.commands.execute(new OpenRound(planId, { ...b, period: b.period ? { ...b.period } : undefined }, m));
    res.location(`/rounds/${result.roundId}`);
    return result;
  }

  /** A round with each agency's report status (an asked agency sees its own line). */
  @Get('rounds/:id') @Roles(...ALL)
  async get(@Param('id', ParseIdPipe) id: string, @CurrentActor() actor: AuthenticatedActor) {
    const round = await this.visibleRound(id, actor);
    const { rows } = await this.db.query<{ agencyId: string; status: string; late: boolean; submittedAt: string | null; returnedReason: string | null }>(
      `SELECT agency_id AS "agencyId", status, late, submitted_at AS "submittedAt", returned_reason AS "returnedReason" FROM rp_agency_reports WHERE round_id = $1`,
      [id],
    );
    const byAgency = new Map(rows.map((r) => [r.agencyId, r]));
    const agencies = round.agencyIds
      .filter((a) => this.receives(round, actor) || a === actor.agencyId)
      .map((agencyId) => ({ agencyId, name: agencyDisplayName(agencyId), status: 'missing', late: false, submittedAt: null, returnedReason: null, ...byAgency.get(agencyId) }));
    return { ...round, agencies };
  }

  /** Who has not reported, and who reported late. */
  @Get('rounds/:id/missing') @Roles(...ALL)
  async missing(@Param('id', ParseIdPipe) id: string, @CurrentActor() actor: AuthenticatedActor) {
    const round = await this.visibleRound(id, actor);
    if (!this.receives(round, actor)) throw this.notFound(id);
    const reports = await this.facts.reports(id);
    const submitted = new Set(reports.filter((r) => r.submittedAt).map((r) => r.agencyId));
    const named = (ids: string[]) => ids.map((agencyId) => ({ agencyId, name: agencyDisplayName(agencyId) }));
    return { dueBefore: round.dueBefore, missing: named(round.agencyIds.filter((a) => !submitted.has(a))), late: named(reports.filter((r) => r.late).map((r) => r.agencyId)) };
  }

  /** The caller's report: pre-filled from its cases (figures and tasks as they stand), with its narrative so far. */
  @Get('rounds/:id/reports/mine') @Roles(...AGENCY)
  async mine(@Param('id', ParseIdPipe) id: string, @CurrentActor() actor: AuthenticatedActor, @Res({ passthrough: true }) res: Response) {
    const round = await this.visibleRound(id, actor);
    if (!round.agencyIds.includes(actor.agencyId)) throw this.notFound(id);
    const report = await this.reports.find(agencyReportIdOf(id, actor.agencyId));
    const live = reportContent(round, await this.facts.cases(round.planId, actor.agencyId), this.facts.asOf(round));
    res.setHeader('ETag', `"${report?.version ?? 0}"`);
    const submitted = report && report.status !== 'draft' && report.status !== 'returned';
    return {
      roundId: id, agencyId: actor.agencyId, status: report?.status ?? 'missing', late: report?.late ?? false, returnedReason: report?.returnedReason ?? null,
      narrative: report?.narrative ?? { results: '', difficulties: '', proposals: '' },
      // Once submitted, the report is what was sent; until then, what it would say now.
      figures: submitted ? report.figures : live.figures, tasks: submitted ? report.tasks : live.tasks, allowedActions: report?.allowedActions ?? ['draft', 'submit'],
    };
  }

  @Put('rounds/:id/reports/mine') @Roles(...AGENCY)
  draft(@Param('id', ParseIdPipe) id: string, @Body() b: NarrativeDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, m.actor.agencyId, { action: 'draft', narrative: { ...b } }, m, v);
  }

  @Post('rounds/:id/reports/mine/submit') @HttpCode(200) @Roles(...AGENCY)
  submit(@Param('id', ParseIdPipe) id: string, @Body() b: NarrativeDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, m.actor.agencyId, { action: 'submit', narrative: { ...b } }, m, v);
  }

  /** One agency's report: the round's coordinator, auditors, operators, and the agency itself. */
  @Get('rounds/:id/reports/:agencyId') @Roles(...ALL)
  async report(@Param('id', ParseIdPipe) id: string, @Param('agencyId') agencyId: string, @CurrentActor() actor: AuthenticatedActor) {
    const round = await this.visibleRound(id, actor);
    if (!this.receives(round, actor) && actor.agencyId !== agencyId) throw this.notFound(id);
    const report = await this.reports.find(agencyReportIdOf(id, agencyId));
    if (!report) throw new NotFoundError('REPORT.NOT_FOUND', `${agencyId} has no report in round ${id}`, { roundId: id, agencyId });
    const { status, narrative, figures, tasks, late, submittedAt, returnedReason, version } = report;
    return { roundId: id, agencyId, name: agencyDisplayName(agencyId), status, narrative, figures, tasks, late, submittedAt, returnedReason, version };
  }

  @Post('rounds/:id/reports/:agencyId/accept') @HttpCode(200) @Roles(...REVIEWER)
  accept(@Param('id', ParseIdPipe) id: string, @Param('agencyId') agencyId: string, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, agencyId, { action: 'accept' }, m, v);
  }

  @Post('rounds/:id/reports/:agencyId/return') @HttpCode(200) @Roles(...REVIEWER)
  giveBack(@Param('id', ParseIdPipe) id: string, @Param('agencyId') agencyId: string, @Body() b: ReasonDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, agencyId, { action: 'return', reason: b.reason }, m, v);
  }

  private async act(res: Response, roundId: string, agencyId: string, input: ReportInput, metadata: EventMetadata, ifMatch?: number) {
    const result = await this.commands.execute(new ActOnReport(roundId, agencyId, input, metadata, ifMatch));
    setVersionHeaders(res, result.version);
    return result;
  }

  private receives(round: { coordinatorAgencyId: string }, actor: AuthenticatedActor): boolean {
    return seesEverything(actor) || round.coordinatorAgencyId === actor.agencyId;
  }

  /** A round is shown to its coordinator, the agencies asked, auditors and operators; to anyone else it does not exist. */
  private async visibleRound(id: string, actor: AuthenticatedActor) {
    const round = await this.facts.round(id).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (!round || !(this.receives(round, actor) || round.agencyIds.includes(actor.agencyId))) throw this.notFound(id);
    return round;
  }

  private notFound(id: string) {
    return new NotFoundError('ROUND.NOT_FOUND', `Reporting round ${id} does not exist`, { roundId: id });
  }
}
