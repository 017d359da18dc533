import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, UploadedFile } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@thihanh/auth';
import { EventMetadata, REPORTING_FREQUENCIES, TIMELINE_KINDS } from '@thihanh/contracts';
import { CommandMetadata, IfMatchVersion, IsDay, ParseIdPipe, setVersionHeaders, Upload } from '@thihanh/http';
import { InvalidInputError } from '@thihanh/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import type { Response } from 'express';
import { ListPlans } from '../plan-catalogue/list-plans.query';
import { AmendPlan } from './amend-plan.command';
import { ClosePlan } from './close-plan.command';
import { DraftPlan } from './draft-plan.command';
import { GetPlan } from './get-plan.query';
import { ImportPlan } from './import-plan.command';
import { IssuePlan } from './issue-plan.command';
import { RevisePlanDraft } from './revise-plan.command';

// A day of any year (02-29 included): the month and day a recurring task or report falls due.
const MONTH_DAY = /^(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31|02-29)$/;
const AGENCY_ID = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const TASK_NUMBER = /^[0-9]+(\.[a-zđ0-9]+)*$/;
// Limits far above the longest the seed plans hold, so that no field can grow an event past what a broker carries.
const LONG_TEXT = 20_000;

class PartyDto {
  @ApiPropertyOptional({ type: String, example: 'Công an tỉnh' }) @IsOptional() @IsString() @Length(1, 300) name?: string;
  @ApiPropertyOptional({ type: String, example: 'son-la.cong-an-tinh' }) @IsOptional() @MaxLength(200) @Matches(AGENCY_ID) agencyId?: string;
}

class TimelineDto {
  @ApiProperty({ enum: TIMELINE_KINDS }) @IsIn(TIMELINE_KINDS) kind!: (typeof TIMELINE_KINDS)[number];
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsDay() dueBefore: string | null = null;
  @ApiPropertyOptional({ type: Number }) @IsOptional() @IsInt() @Min(2000) @Max(2100) fromYear: number | null = null;
  @ApiPropertyOptional({ type: String }) @IsOptional() @Matches(MONTH_DAY) dueMonthDay: string | null = null;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @Length(1, 1000) gate?: string | null;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @Length(1, 1000) dependsOn?: string | null;
  @ApiProperty({ type: String }) @IsString() @MaxLength(2000) text!: string;
}

class TaskDto {
  @ApiProperty({ type: String, example: '4.a' }) @MaxLength(50) @Matches(TASK_NUMBER) number!: string;
  @ApiPropertyOptional({ type: String, example: '4' }) @IsOptional() @MaxLength(50) @Matches(TASK_NUMBER) parent: string | null = null;
  @ApiProperty({ type: String }) @IsString() @Length(1, 2000) title!: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @MaxLength(LONG_TEXT) content = '';
  @ApiPropertyOptional({ type: [PartyDto] }) @IsArray() @ArrayMaxSize(500) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => PartyDto) lead: PartyDto[] = [];
  @ApiPropertyOptional({ type: [PartyDto] }) @IsArray() @ArrayMaxSize(500) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => PartyDto) implementers: PartyDto[] = [];
  @ApiPropertyOptional({ type: [PartyDto] }) @IsArray() @ArrayMaxSize(500) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => PartyDto) coordinators: PartyDto[] = [];
  @ApiPropertyOptional({ type: TimelineDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => TimelineDto) timeline: TimelineDto | null = null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(2000, { each: true }) deliverables: string[] = [];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @MaxLength(500, { each: true }) legalRefs: string[] = [];
}

class LegalBasisDto {
  @ApiProperty({ type: String }) @IsString() @MaxLength(2000) text!: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @MaxLength(100) documentNumber: string | null = null;
}

class ReportingRuleDto {
  @ApiProperty({ enum: REPORTING_FREQUENCIES }) @IsIn(REPORTING_FREQUENCIES) frequency!: (typeof REPORTING_FREQUENCIES)[number];
  @ApiPropertyOptional({ type: String, example: '11-15' }) @IsOptional() @Matches(MONTH_DAY) dueMonthDay: string | null = null;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @MaxLength(300) recipient: string | null = null;
  @ApiPropertyOptional({ type: String }) @IsOptional() @MaxLength(200) @Matches(AGENCY_ID) recipientAgencyId?: string | null;
}

class SignerDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @MaxLength(200) title: string | null = null;
}

class PlanDto {
  @ApiProperty({ type: String, example: 'son-la' }) @MaxLength(50) @Matches(/^[a-z0-9-]+$/) province!: string;
  @ApiPropertyOptional({ type: String, example: '123/KH-UBND' }) @IsOptional() @IsString() @MaxLength(100) number: string | null = null;
  @ApiProperty({ type: String }) @IsString() @Length(1, 2000) title!: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @MaxLength(300) issuer: string | null = null;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @MaxLength(100) place: string | null = null;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsDay() issuedOn: string | null = null;
  @ApiPropertyOptional({ type: [LegalBasisDto] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => LegalBasisDto) legalBasis: LegalBasisDto[] = [];
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @MaxLength(LONG_TEXT) purpose: string | null = null;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @MaxLength(LONG_TEXT) requirements: string | null = null;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @MaxLength(LONG_TEXT) funding: string | null = null;
  @ApiPropertyOptional({ type: [ReportingRuleDto] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => ReportingRuleDto) reporting: ReportingRuleDto[] = [];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(500, { each: true }) recipients: string[] = [];
  @ApiPropertyOptional({ type: SignerDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => SignerDto) signer: SignerDto | null = null;
  @ApiPropertyOptional({ type: String, example: 'son-la.cong-an-tinh' }) @IsOptional() @MaxLength(200) @Matches(AGENCY_ID) coordinatorAgencyId: string | null = null;
  @ApiPropertyOptional({ type: [TaskDto] }) @IsArray() @ArrayMaxSize(1000) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => TaskDto) tasks: TaskDto[] = [];
}

class IssueDto {
  @ApiProperty({ type: String, example: '123/KH-UBND' }) @IsString() @Length(1, 100) number!: string;
  @ApiProperty({ type: String, example: '2026-04-20' }) @IsDay() issuedOn!: string;
  @ApiPropertyOptional({ type: SignerDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => SignerDto) signer?: SignerDto;
}

class AmendDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 2000) reason!: string;
  @ApiProperty({ type: PlanDto }) @IsObject() @ValidateNested() @Type(() => PlanDto) plan!: PlanDto;
}

class CloseDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 2000) reason!: string;
  @ApiProperty({ type: String, example: '2027-12-31' }) @IsDay() closedOn!: string;
}

/** A multipart request that carries the file and nothing else: any other field is refused, as in JSON bodies. */
class FileOnlyDto {}

class ListQuery {
  @IsOptional() @IsString() @Length(1, 200) q?: string;
  @IsOptional() @Matches(/^[a-z0-9-]+$/) province?: string;
  @IsOptional() @IsIn(['draft', 'issued', 'amended', 'closed']) status?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit = 50;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

class VersionQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}

const EDITORS = ['operator', 'coordinator'] as const;
const READERS = ['member', 'coordinator', 'auditor', 'operator'] as const;

/** Kế hoạch / plans: drafted, issued, amended by version, closed. */
@ApiTags('plans')
@Controller('plans')
export class PlanController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles(...EDITORS)
  async draft(@Body() body: PlanDto, @CommandMetadata() metadata: EventMetadata, @Res({ passthrough: true }) res: Response) {
    const result = await this.commands.execute(new DraftPlan(body, metadata));
    setVersionHeaders(res, result.version);
    res.location(`/plans/${result.planId}`);
    return result;
  }

  /** Kế hoạch dạng văn bản (.txt, .docx) → bản dự thảo; trả về các dòng chưa đọc được. */
  @Post('import')
  @Roles(...EDITORS)
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @Upload('file', 5 * 1024 * 1024)
  async import(@UploadedFile() file: { originalname: string; buffer: Buffer } | undefined, @Body() _fields: FileOnlyDto, @CommandMetadata() metadata: EventMetadata, @Res({ passthrough: true }) res: Response) {
    if (!file) throw new InvalidInputError('PLAN.FILE_REQUIRED', 'Send the plan document as the multipart field "file"');
    const result = await this.commands.execute(new ImportPlan(Buffer.from(file.originalname, 'latin1').toString('utf8'), file.buffer, metadata));
    setVersionHeaders(res, result.version);
    res.location(`/plans/${result.planId}`);
    return result;
  }

  @Put(':id')
  @Roles(...EDITORS)
  async revise(@Param('id', ParseIdPipe) id: string, @Body() body: PlanDto, @IfMatchVersion() ifMatch: number | undefined, @CommandMetadata() metadata: EventMetadata, @Res({ passthrough: true }) res: Response) {
    return this.versioned(res, this.commands.execute(new RevisePlanDraft(id, body, metadata, ifMatch)));
  }

  @Post(':id/issue')
  @HttpCode(200)
  @Roles(...EDITORS)
  issue(@Param('id', ParseIdPipe) id: string, @Body() body: IssueDto, @IfMatchVersion() ifMatch: number | undefined, @CommandMetadata() metadata: EventMetadata, @Res({ passthrough: true }) res: Response) {
    return this.versioned(res, this.commands.execute(new IssuePlan(id, body, metadata, ifMatch)));
  }

  @Post(':id/amend')
  @HttpCode(200)
  @Roles(...EDITORS)
  amend(@Param('id', ParseIdPipe) id: string, @Body() body: AmendDto, @IfMatchVersion() ifMatch: number | undefined, @CommandMetadata() metadata: EventMetadata, @Res({ passthrough: true }) res: Response) {
    return this.versioned(res, this.commands.execute(new AmendPlan(id, body.plan, body.reason, metadata, ifMatch)));
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles(...EDITORS)
  close(@Param('id', ParseIdPipe) id: string, @Body() body: CloseDto, @IfMatchVersion() ifMatch: number | undefined, @CommandMetadata() metadata: EventMetadata, @Res({ passthrough: true }) res: Response) {
    return this.versioned(res, this.commands.execute(new ClosePlan(id, body.reason, body.closedOn, metadata, ifMatch)));
  }

  @Get()
  @Roles(...READERS)
  list(@Query() query: ListQuery) {
    return this.queries.execute(new ListPlans(query));
  }

  @Get(':id')
  @Roles(...READERS)
  async get(@Param('id', ParseIdPipe) id: string, @Query() query: VersionQuery, @Res({ passthrough: true }) res: Response) {
    const plan = await this.queries.execute(new GetPlan(id, query.version));
    setVersionHeaders(res, plan.version);
    return plan;
  }

  private async versioned(res: Response, result: Promise<{ planId: string; version: number }>) {
    const done = await result;
    setVersionHeaders(res, done.version);
    return done;
  }
}
