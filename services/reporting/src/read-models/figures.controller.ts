import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { agencyDisplayName } from '@thihanh/agency-directory';
import { AuthenticatedActor, CurrentActor, Roles, seesEverything } from '@thihanh/auth';
import { CLOCK, Clock, ForbiddenError, vietnamDay } from '@thihanh/domain';
import { Database } from '@thihanh/event-store';
import { IsDay, OwnTransactions, ParseIdPipe } from '@thihanh/http';
import { BackgroundWorkers, DATABASE } from '@thihanh/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ReportFacts } from '../provincial-report/report-facts';
import { CaseFigures } from '@thihanh/contracts';
import { caseFigures, groupCases, percentOf } from './case-figures';
import { rebuildSourceReadModels } from './rebuild-read-models';

class FiguresQuery {
  @IsOptional() @IsDay() asOf?: string;
}
class RollupQuery {
  @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year!: number;
  @IsOptional() @IsIn(['yearly', 'semiannual', 'quarterly', 'monthly', 'adhoc']) kind = 'yearly';
}

/** Ministries and the Government (national.*), as coordinators, see every province's figures; so do auditors and operators. */
const national = (actor: AuthenticatedActor) =>
  seesEverything(actor) || (actor.agencyId.startsWith('national.') && actor.roles.includes('coordinator'));

/** Số liệu / figures from the read models: per plan, task and agency; the ministry's roll-up; the rebuild. */
@ApiTags('figures')
@Controller()
export class FiguresController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly facts: ReportFacts,
    private readonly workers: BackgroundWorkers,
  ) {}

  /** The four categories for a plan as of a day (default today): overall, by task, by agency; the consultations. */
  @Get('plans/:planId/figures') @Roles('coordinator', 'auditor', 'operator')
  async plan(@Param('planId', ParseIdPipe) planId: string, @Query() q: FiguresQuery, @CurrentActor() actor: AuthenticatedActor) {
    const plan = await this.facts.plan(planId);
    if (!national(actor) && actor.agencyId !== plan.coordinatorAgencyId) throw new ForbiddenError('FIGURES.FORBIDDEN', 'A plan’s figures are its coordinator’s, auditors’ and operators’');
    const asOf = q.asOf ?? vietnamDay(this.clock.now());
    const cases = await this.facts.cases(planId);
    const by = (key: (c: (typeof cases)[number]) => string) =>
      [...groupCases(cases, key)].map(([k, list]) => ({ key: k, figures: caseFigures(list, asOf) }));
    // Comments given on the plan's draft decrees, per agency (withdrawn ones aside).
    const { rows: comments } = await this.db.query<{ agency_id: string; comments: number; no_comment: number }>(
      `SELECT k.agency_id, count(*) FILTER (WHERE k.kind = 'comment')::int AS comments, count(*) FILTER (WHERE k.kind = 'no-comment')::int AS no_comment
         FROM rp_consultation_comments k JOIN rp_consultations c ON c.consultation_id = k.consultation_id
        WHERE c.plan_id = $1 AND NOT k.withdrawn GROUP BY k.agency_id`,
      [planId],
    );
    const given = new Map(comments.map((c) => [c.agency_id, { comments: c.comments, noComment: c.no_comment }]));
    const withPercent = (f: CaseFigures) => ({ ...f, percentDone: percentOf(f.doneOnTime + f.doneLate, f), percentDoneOnTime: percentOf(f.doneOnTime, f) });
    return {
      planId, asOf, figures: withPercent(caseFigures(cases, asOf)),
      byTask: by((c) => c.taskNumber).map(({ key, figures }) => ({ taskNumber: key, figures: withPercent(figures) })).sort((a, b) => a.taskNumber.localeCompare(b.taskNumber, 'vi', { numeric: true })),
      byAgency: by((c) => c.agencyId)
        .map(({ key, figures }) => ({ agencyId: key, name: agencyDisplayName(key), figures: withPercent(figures), consultations: given.get(key) ?? { comments: 0, noComment: 0 } }))
        .sort((a, b) => a.name.localeCompare(b.name, 'vi')),
      consultations: await this.facts.consultations(planId),
    };
  }

  /** The ministry's view: every province's round for the year, with the issued report's figures (live ones until issued). */
  @Get('rollup') @Roles('coordinator', 'auditor', 'operator')
  async rollup(@Query() q: RollupQuery, @CurrentActor() actor: AuthenticatedActor) {
    if (!national(actor)) throw new ForbiddenError('FIGURES.FORBIDDEN', 'The roll-up is for ministries, the Government, auditors and operators');
    const { rows } = await this.db.query<{ roundId: string; province: string; planTitle: string; title: string; dueBefore: string; issued: { document: object; figures: object } | null }>(
      `SELECT r.round_id AS "roundId", p.province, p.title AS "planTitle", r.title, to_char(r.due_before, 'YYYY-MM-DD') AS "dueBefore", r.provincial_report AS issued
         FROM rp_rounds r JOIN rp_plans p ON p.plan_id = r.plan_id
        WHERE r.kind = $1 AND extract(year FROM r.period_from) = $2 ORDER BY p.province, r.due_before`,
      [q.kind, q.year],
    );
    const provinces: (Omit<(typeof rows)[number], 'issued'> & { issued: object | null; figures: object })[] = [];
    for (const row of rows) {
      const figures = row.issued?.figures ?? (await this.facts.compile(row.roundId)).figures;
      provinces.push({ ...row, issued: row.issued?.document ?? null, figures });
    }
    const keys = ['total', 'doneOnTime', 'doneLate', 'openOnTime', 'openOverdue', 'waiting'] as const;
    const totals = Object.fromEntries(keys.map((k) => [k, provinces.reduce((n, p) => n + Number((p.figures as Record<string, number>)[k] ?? 0), 0)]));
    return { year: q.year, kind: q.kind, provinces, totals };
  }

  /** Rebuilds every read model from the kept events of other services and from reporting's own log. */
  @Post('admin/read-models/rebuild') @HttpCode(200) @Roles('operator') @OwnTransactions()
  async rebuild() {
    const sources = await rebuildSourceReadModels(this.db);
    const own = await this.workers.projection('rounds').rebuild();
    return { sources, rounds: { events: own } };
  }
}
