import { createHash } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res, StreamableFile, UploadedFile } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles, seesEverything } from '@thihanh/auth';
import { EventMetadata } from '@thihanh/contracts';
import { CommandMetadata, IfMatchVersion, IsDay, ParseIdPipe, setVersionHeaders, Upload } from '@thihanh/http';
import { InvalidInputError, NotFoundError } from '@thihanh/domain';
import { Database } from '@thihanh/event-store';
import { DATABASE } from '@thihanh/platform';
import { AuthenticatedActor, CurrentActor } from '@thihanh/auth';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsObject, IsOptional, IsString, IsUrl, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { Response } from 'express';
import { ActOnAssignment, ActionInput } from './act-on-assignment.command';


// The largest file a deliverable may name (uploads here stop at 20 MB; a linked file may be larger).
const MAX_FILE_SIZE = 10 * 1024 ** 3;

class FocalPointDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @Length(3, 50) phone?: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsEmail() email?: string;
}
class AcknowledgeDto {
  @ApiProperty({ type: FocalPointDto }) @IsObject() @ValidateNested() @Type(() => FocalPointDto) focalPoint!: FocalPointDto;
}
class ProgressDto {
  @ApiProperty({ type: Number }) @IsInt() @Min(0) @Max(100) percent!: number;
  @ApiProperty({ type: String }) @IsString() @Length(0, 4000) note!: string;
}
class FileDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 300) name!: string;
  @ApiProperty({ type: String }) @Matches(/^[0-9a-f]{64}$/) sha256!: string;
  @ApiProperty({ type: Number }) @IsInt() @Min(0) @Max(MAX_FILE_SIZE) size!: number;
}
class DeliverableDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 1000) title!: string;
  @ApiPropertyOptional({ type: String, example: '45/BC-CAT' }) @IsOptional() @IsString() @Length(1, 100) documentNumber?: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsDay() documentDate?: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @MaxLength(2000) @IsUrl({ require_tld: false }) link?: string;
  @ApiPropertyOptional({ type: FileDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => FileDto) file?: FileDto;
}
class UploadDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 1000) title!: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @Length(1, 100) documentNumber?: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsDay() documentDate?: string;
}

class ExtensionRequestDto {
  @ApiProperty({ type: String }) @IsDay() newDueBefore!: string;
  @ApiProperty({ type: String }) @IsString() @Length(1, 2000) reason!: string;
}
class ExtensionGrantDto {
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsDay() newDueBefore?: string;
}
class ReasonDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 2000) reason!: string;
}
class AcceptDto {
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @Length(1, 2000) note?: string;
}
class ReassignDto extends ReasonDto {
  @ApiProperty({ type: String }) @MaxLength(200) @Matches(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/) toAgencyId!: string;
}
class GateDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 1000) gate!: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsDay() dueBefore?: string;
}
class DueDateDto {
  @ApiProperty({ type: String }) @IsDay() dueBefore!: string;
  @ApiPropertyOptional({ enum: ['operator'] }) @IsIn(['operator']) source = 'operator' as const;
}

const AGENCY = ['member', 'coordinator'] as const;
const REVIEWER = ['coordinator', 'operator'] as const;

/** Vòng đời hồ sơ / the case lifecycle; 409 with the allowed actions when a step is not allowed now. */
@ApiTags('cases')
@Controller('cases/:id')
export class AssignmentController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  @Post('acknowledge') @HttpCode(200) @Roles(...AGENCY)
  acknowledge(@Param('id', ParseIdPipe) id: string, @Body() b: AcknowledgeDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'acknowledge', focalPoint: b.focalPoint }, m, v);
  }

  @Post('progress') @HttpCode(200) @Roles(...AGENCY)
  progress(@Param('id', ParseIdPipe) id: string, @Body() b: ProgressDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'reportProgress', percent: b.percent, note: b.note }, m, v);
  }

  @Post('deliverables') @Roles(...AGENCY)
  deliver(@Param('id', ParseIdPipe) id: string, @Body() b: DeliverableDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'submitDeliverable', deliverable: { ...b } }, m, v);
  }

  /** A deliverable as a file: stored by its SHA-256 (computed here), which the event records. */
  @Post('deliverables/upload') @Roles(...AGENCY)
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, title: { type: 'string' }, documentNumber: { type: 'string' }, documentDate: { type: 'string' } } } })
  @Upload('file', 20 * 1024 * 1024)
  async upload(@Param('id', ParseIdPipe) id: string, @UploadedFile() file: { originalname: string; mimetype: string; buffer: Buffer } | undefined, @Body() b: UploadDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    if (!file) throw new InvalidInputError('ASSIGNMENT.FILE_REQUIRED', 'Send the deliverable as the multipart field "file"');
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
    const upload = { contentType: file.mimetype || 'application/octet-stream', content: file.buffer };
    return this.act(res, id, { action: 'submitDeliverable', deliverable: { ...b, file: { name, sha256, size: file.buffer.length } }, upload }, m, v);
  }

  /** The bytes of an uploaded deliverable, to whoever may see the case. */
  @Get('deliverables/:deliverableId/file') @Roles('member', 'coordinator', 'auditor', 'operator')
  async download(@Param('id', ParseIdPipe) id: string, @Param('deliverableId') deliverableId: string, @CurrentActor() actor: AuthenticatedActor, @Res({ passthrough: true }) res: Response) {
    const { rows } = await this.db.query<{ sha256: string; name: string; content_type: string; content: Buffer; visible: boolean }>(
      `SELECT f.sha256, e.data->'file'->>'name' AS name, f.content_type, f.content,
              ($3 = ANY (c.lead_agency_ids) OR c.agency_id = $3 OR c.plan_coordinator_agency_id = $3 OR $4) AS visible
         FROM es_events e
         JOIN assignment_cases c ON c.assignment_id = $1::uuid
         JOIN deliverable_files f ON f.sha256 = e.data->'file'->>'sha256'
        WHERE e.stream_id = 'assignment-' || $1 AND e.event_type = 'AssignmentDeliverableSubmitted' AND e.data->>'deliverableId' = $2`,
      [id, deliverableId, actor.agencyId, seesEverything(actor)],
    );
    if (!rows.length || !rows[0].visible) throw new NotFoundError('DELIVERABLE.NOT_FOUND', `No file for deliverable ${deliverableId}`, { id, deliverableId });
    res.setHeader('Content-Type', rows[0].content_type);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(rows[0].name)}`);
    res.setHeader('Digest', `sha-256=${Buffer.from(rows[0].sha256, 'hex').toString('base64')}`);
    return new StreamableFile(rows[0].content);
  }

  @Post('extension-requests') @Roles(...AGENCY)
  requestExtension(@Param('id', ParseIdPipe) id: string, @Body() b: ExtensionRequestDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'requestExtension', ...b }, m, v);
  }

  @Post('extension-requests/:requestId/grant') @HttpCode(200) @Roles(...REVIEWER)
  grant(@Param('id', ParseIdPipe) id: string, @Param('requestId', ParseIdPipe) requestId: string, @Body() b: ExtensionGrantDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'grantExtension', requestId, newDueBefore: b.newDueBefore }, m, v);
  }

  @Post('extension-requests/:requestId/refuse') @HttpCode(200) @Roles(...REVIEWER)
  refuse(@Param('id', ParseIdPipe) id: string, @Param('requestId', ParseIdPipe) requestId: string, @Body() b: ReasonDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'refuseExtension', requestId, reason: b.reason }, m, v);
  }

  @Post('accept') @HttpCode(200) @Roles(...REVIEWER)
  accept(@Param('id', ParseIdPipe) id: string, @Body() b: AcceptDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'accept', note: b.note }, m, v);
  }

  @Post('return') @HttpCode(200) @Roles(...REVIEWER)
  giveBack(@Param('id', ParseIdPipe) id: string, @Body() b: ReasonDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'return', reason: b.reason }, m, v);
  }

  @Post('reassign') @HttpCode(200) @Roles(...REVIEWER)
  reassign(@Param('id', ParseIdPipe) id: string, @Body() b: ReassignDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'reassign', toAgencyId: b.toAgencyId, reason: b.reason }, m, v);
  }

  @Post('block') @HttpCode(200) @Roles(...REVIEWER)
  block(@Param('id', ParseIdPipe) id: string, @Body() b: ReasonDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'block', reason: b.reason }, m, v);
  }

  @Post('unblock') @HttpCode(200) @Roles(...REVIEWER)
  unblock(@Param('id', ParseIdPipe) id: string, @Body() b: ReasonDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'unblock', reason: b.reason }, m, v);
  }

  /** The gating event happened (e.g. the Ministry's training was held): the case opens. */
  @Post('gate') @HttpCode(200) @Roles('operator')
  openGate(@Param('id', ParseIdPipe) id: string, @Body() b: GateDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'openGate', gate: b.gate, dueBefore: b.dueBefore }, m, v);
  }

  @Post('due-date') @HttpCode(200) @Roles('operator')
  setDueDate(@Param('id', ParseIdPipe) id: string, @Body() b: DueDateDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'setDueDate', dueBefore: b.dueBefore, source: b.source }, m, v);
  }

  private async act(res: Response, id: string, input: ActionInput, metadata: EventMetadata, ifMatch?: number) {
    const result = await this.commands.execute(new ActOnAssignment(id, input, metadata, ifMatch));
    setVersionHeaders(res, result.version);
    return result;
  }
}
