import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { agencyDisplayName } from '@thihanh/agency-directory';
import { AuthenticatedActor, CurrentActor, Roles, seesEverything } from '@thihanh/auth';
import { chartPng, chartSvg } from '@thihanh/charts';
import { EventMetadata } from '@thihanh/contracts';
import { NotFoundError } from '@thihanh/domain';
import { Database } from '@thihanh/event-store';
import { CommandMetadata, IsDay, ParseIdPipe } from '@thihanh/http';
import { officialDocx } from '@thihanh/official-document';
import { DATABASE } from '@thihanh/platform';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import type { Response } from 'express';
import { DOCX_TYPE, IssueProvincialReport } from './issue-provincial-report.command';
import { ReportFacts } from './report-facts';
import { Letterhead, reportCharts, reportCsv, reportDocument } from './report-exports';

class SignerDto {
  @ApiPropertyOptional({ type: String, example: 'TM. ỦY BAN NHÂN DÂN' }) @IsOptional() @IsString() @Length(1, 100) authority?: string;
  @ApiProperty({ type: String, example: 'CHỦ TỊCH' }) @IsString() @Length(1, 200) title!: string;
  @ApiProperty({ type: String }) @IsString() @Length(1, 200) name!: string;
}
class IssueDto {
  @ApiProperty({ type: String, example: '312/BC-UBND' }) @IsString() @Length(1, 100) number!: string;
  @ApiProperty({ type: String, example: '2027-01-20' }) @IsDay() date!: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @Length(1, 300) parentAuthority?: string;
  @ApiProperty({ type: String, example: 'ỦY BAN NHÂN DÂN TỈNH BẮC NINH' }) @IsString() @Length(1, 300) issuer!: string;
  @ApiPropertyOptional({ type: String, example: 'UBND' }) @IsOptional() @IsString() @Length(1, 50) symbol?: string;
  @ApiProperty({ type: String, example: 'Bắc Ninh' }) @IsString() @Length(1, 100) place!: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 500, { each: true }) recipients!: string[];
  @ApiProperty({ type: SignerDto }) @IsObject() @ValidateNested() @Type(() => SignerDto) signer!: SignerDto;
}
class ChartQuery {
  @IsOptional() @IsIn(['svg', 'png']) format: 'svg' | 'png' = 'svg';
}

const ALL = ['member', 'coordinator', 'auditor', 'operator'] as const;
const CHARTS = { 'by-task': 'byTask', 'by-agency': 'byAgency', trend: 'trend' } as const;

/** Báo cáo của tỉnh / the province's report for a round: compiled live until issued, then as issued. */
@ApiTags('reports')
@Controller('rounds/:id')
export class ProvincialReportController {
  constructor(
    private readonly commands: CommandBus,
    private readonly facts: ReportFacts,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  @Get('provincial-report') @Roles(...ALL)
  async json(@Param('id', ParseIdPipe) id: string, @CurrentActor() actor: AuthenticatedActor) {
    const round = await this.receivable(id, actor);
    return { issued: round.provincialReport ?? null, compiled: await this.facts.compile(id) };
  }

  @Get('provincial-report.csv') @Roles(...ALL) @ApiProduces('text/csv')
  async csv(@Param('id', ParseIdPipe) id: string, @CurrentActor() actor: AuthenticatedActor, @Res({ passthrough: true }) res: Response) {
    await this.receivable(id, actor);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="bao-cao-${id}.csv"`);
    return reportCsv(await this.facts.compile(id));
  }

  /** The issued document (same SHA-256 as its event), or a preview with blanks for number and date. */
  @Get('provincial-report.docx') @Roles(...ALL) @ApiProduces(DOCX_TYPE)
  async docx(@Param('id', ParseIdPipe) id: string, @CurrentActor() actor: AuthenticatedActor, @Res({ passthrough: true }) res: Response) {
    const round = await this.receivable(id, actor);
    const issued = round.provincialReport as { document: { sha256: string } } | null;
    let content: Buffer;
    if (issued) {
      const { rows } = await this.db.query<{ content: Buffer }>(`SELECT content FROM rp_files WHERE sha256 = $1`, [issued.document.sha256]);
      if (!rows.length) throw new NotFoundError('REPORT.FILE_NOT_FOUND', `The issued report's file ${issued.document.sha256} is missing`);
      content = rows[0].content;
      res.setHeader('Digest', `sha-256=${Buffer.from(issued.document.sha256, 'hex').toString('base64')}`);
    } else {
      const [compiled, plan] = await Promise.all([this.facts.compile(id), this.facts.plan(round.planId)]);
      const issuer = agencyDisplayName(round.coordinatorAgencyId).toLocaleUpperCase('vi');
      const letterhead: Letterhead = { parentAuthority: null, issuer, symbol: null, place: plan.place ?? '', recipients: ['Như trên', 'Lưu: VT'], signer: { authority: null, title: 'THỦ TRƯỞNG CƠ QUAN', name: '' } };
      content = officialDocx(reportDocument(compiled, letterhead, { number: null, date: null }));
    }
    res.setHeader('Content-Type', DOCX_TYPE);
    res.setHeader('Content-Disposition', `attachment; filename="bao-cao-${id}.docx"`);
    return new StreamableFile(content);
  }

  @Post('provincial-report/issue') @HttpCode(200) @Roles('coordinator', 'operator')
  issue(@Param('id', ParseIdPipe) id: string, @Body() b: IssueDto, @CommandMetadata() m: EventMetadata) {
    const letterhead: Letterhead = {
      parentAuthority: b.parentAuthority ?? null, issuer: b.issuer, symbol: b.symbol ?? null, place: b.place, recipients: b.recipients,
      signer: { authority: b.signer.authority ?? null, title: b.signer.title, name: b.signer.name },
    };
    return this.commands.execute(new IssueProvincialReport(id, { number: b.number, date: b.date, letterhead }, m));
  }

  /** Charts: `by-task`, `by-agency` (stacked four categories) and `trend` (on time, month by month), as SVG or PNG. */
  @Get('charts/:chart') @Roles(...ALL) @ApiProduces('image/svg+xml', 'image/png')
  async chart(@Param('id', ParseIdPipe) id: string, @Param('chart') name: string, @Query() q: ChartQuery, @CurrentActor() actor: AuthenticatedActor, @Res({ passthrough: true }) res: Response) {
    await this.receivable(id, actor);
    const key = CHARTS[name as keyof typeof CHARTS];
    if (!key) throw new NotFoundError('CHART.NOT_FOUND', `No chart "${name}": ${Object.keys(CHARTS).join(', ')}`, { chart: name });
    const chart = reportCharts(await this.facts.compile(id))[key];
    if (q.format === 'png') {
      res.setHeader('Content-Type', 'image/png');
      return new StreamableFile(chartPng(chart).png);
    }
    res.setHeader('Content-Type', 'image/svg+xml; charset=utf-8');
    return chartSvg(chart);
  }

  /** The coordinator of the round, auditors and operators read the province's report. */
  private async receivable(id: string, actor: AuthenticatedActor) {
    const round = await this.facts.round(id);
    const sees = seesEverything(actor) || round.coordinatorAgencyId === actor.agencyId;
    if (!sees) throw new NotFoundError('ROUND.NOT_FOUND', `Reporting round ${id} does not exist`, { roundId: id });
    return round;
  }
}
