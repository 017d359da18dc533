import { Body, Controller, HttpCode, Param, Post, Put, Res, UploadedFile } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@thihanh/auth';
import { COMMENT_DECISIONS, CommentDecision, EventMetadata } from '@thihanh/contracts';
import { InvalidInputError } from '@thihanh/domain';
import { CommandMetadata, IfMatchVersion, IsDay, ParseIdPipe, setVersionHeaders, Upload } from '@thihanh/http';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import type { Response } from 'express';
import { ActOnConsultation, ConsultationInput } from './act-on-consultation.command';
import { OpenConsultation } from './open-consultation.command';

const AGENCY_ID = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const ANCHOR = /^dieu-\d{1,4}(\.khoan-\d{1,3}(\.diem-[a-zđ]{1,2})?)?$/;

class OpenDto {
  @ApiProperty({ type: String, example: 'Nghị định' }) @IsString() @Length(1, 50) draftType!: string;
  @ApiProperty({ type: String }) @IsString() @Length(1, 1000) draftTitle!: string;
  @ApiPropertyOptional({ type: String, example: 'Bộ Công an' }) @IsOptional() @IsString() @Length(1, 300) draftingMinistry?: string;
  @ApiPropertyOptional({ type: [String], example: ['khoản 4 Điều 25'] }) @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @Length(1, 200, { each: true }) legalRefs: string[] = [];
  @ApiProperty({ type: String, example: 'son-la.cong-an-tinh' }) @MaxLength(200) @Matches(AGENCY_ID) leadAgencyId!: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2000) @MaxLength(200, { each: true }) @Matches(AGENCY_ID, { each: true }) coordinatorAgencyIds!: string[];
  @ApiPropertyOptional({ type: String, example: '2026-06-15' }) @IsOptional() @IsDay() deadline?: string;
}
class RequestDto {
  @ApiProperty({ type: String, example: '1520/BCA-A05' }) @IsString() @Length(1, 100) number!: string;
  @ApiProperty({ type: String, example: '2026-05-25' }) @IsDay() date!: string;
  @ApiPropertyOptional({ type: String, example: 'Bộ Công an' }) @IsOptional() @IsString() @Length(1, 300) ministry?: string;
}
class DeadlineDto {
  @ApiProperty({ type: String, example: '2026-06-15' }) @IsDay() deadline!: string;
  @ApiProperty({ enum: ['ministry-request', 'operator'] }) @IsIn(['ministry-request', 'operator']) source!: 'ministry-request' | 'operator';
  @ApiPropertyOptional({ type: RequestDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => RequestDto) request?: RequestDto;
}
class MinistryDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 300) draftingMinistry!: string;
}
class CommentDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'dieu-5.khoan-1.diem-a', description: 'null or absent: a general comment' })
  @IsOptional() @Matches(ANCHOR) anchor?: string | null;
  @ApiProperty({ type: String }) @IsString() @Length(1, 20000) text!: string;
}
class DecisionDto {
  @ApiProperty({ enum: COMMENT_DECISIONS }) @IsIn(COMMENT_DECISIONS) decision!: CommentDecision;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @Length(0, 20000) reason = '';
}
class SignerDto {
  @ApiPropertyOptional({ type: String, example: 'KT. GIÁM ĐỐC' }) @IsOptional() @IsString() @Length(1, 100) authority?: string;
  @ApiProperty({ type: String, example: 'PHÓ GIÁM ĐỐC' }) @IsString() @Length(1, 200) title!: string;
  @ApiProperty({ type: String }) @IsString() @Length(1, 200) name!: string;
}
class ResponseDto {
  @ApiPropertyOptional({ type: String, example: 'BỘ CÔNG AN' }) @IsOptional() @IsString() @Length(1, 300) parentAuthority?: string;
  @ApiProperty({ type: String, example: 'CÔNG AN TỈNH SƠN LA' }) @IsString() @Length(1, 300) issuer!: string;
  @ApiPropertyOptional({ type: String, example: 'CAT-ANM' }) @IsOptional() @IsString() @Length(1, 50) symbol?: string;
  @ApiProperty({ type: String, example: 'Sơn La' }) @IsString() @Length(1, 100) place!: string;
  @ApiProperty({ type: String, example: 'V/v góp ý dự thảo Nghị định …' }) @IsString() @Length(1, 1000) summary!: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 500, { each: true }) addressees!: string[];
  @ApiProperty({ type: String, description: 'Paragraphs, one per line' }) @IsString() @Length(1, 200000) body!: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 500, { each: true }) recipients!: string[];
  @ApiProperty({ type: SignerDto }) @IsObject() @ValidateNested() @Type(() => SignerDto) signer!: SignerDto;
}
class IssueDto {
  @ApiProperty({ type: String, example: '125/CAT-ANM' }) @IsString() @Length(1, 100) number!: string;
  @ApiProperty({ type: String, example: '2026-06-18' }) @IsDay() date!: string;
}
class ClosedDto extends IssueDto {
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @Length(1, 1000) title?: string;
}
class ReasonDto {
  @ApiProperty({ type: String }) @IsString() @Length(1, 2000) reason!: string;
}

/** A multipart request that carries the file and nothing else: any other field is refused, as in JSON bodies. */
class FileOnlyDto {}

const AGENCY = ['member', 'coordinator'] as const;
const LEAD = ['coordinator', 'operator'] as const;

/** Góp ý dự thảo / a consultation's commands: 403 for the wrong party, 409 with what is allowed when a step is not allowed now. */
@ApiTags('consultations')
@Controller('consultations')
export class ConsultationController {
  constructor(private readonly commands: CommandBus) {}

  @Post() @Roles('operator')
  async open(@Body() b: OpenDto, @CommandMetadata() m: EventMetadata, @Res({ passthrough: true }) res: Response) {
    const result = await this.commands.execute(
      new OpenConsultation(
        {
          draft: { type: b.draftType, title: b.draftTitle }, draftingMinistry: b.draftingMinistry ?? null, legalRefs: b.legalRefs, leadAgencyId: b.leadAgencyId,
          coordinatorAgencyIds: b.coordinatorAgencyIds, deadline: b.deadline ?? null, deadlineText: null,
        },
        m,
      ),
    );
    setVersionHeaders(res, result.version);
    res.location(`/consultations/${result.consultationId}`);
    return result;
  }

  /** The ministry's request (or an operator) fixes the deadline; dependent plan tasks take it as their due date. */
  @Post(':id/deadline') @HttpCode(200) @Roles(...LEAD)
  deadline(@Param('id', ParseIdPipe) id: string, @Body() b: DeadlineDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'setDeadline', deadline: b.deadline, source: b.source, ...(b.request ? { request: { ...b.request } } : {}) }, m, v);
  }

  @Post(':id/ministry') @HttpCode(200) @Roles(...LEAD)
  ministry(@Param('id', ParseIdPipe) id: string, @Body() b: MinistryDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'recordMinistry', draftingMinistry: b.draftingMinistry }, m, v);
  }

  /** A draft version (.txt or .docx), split into Chương / Điều / Khoản / Điểm; earlier comments follow it. */
  @Post(':id/drafts') @Roles(...LEAD)
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @Upload('file', 10 * 1024 * 1024)
  upload(@Param('id', ParseIdPipe) id: string, @UploadedFile() file: { originalname: string; mimetype: string; buffer: Buffer } | undefined, @Body() _fields: FileOnlyDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    if (!file) throw new InvalidInputError('CONSULTATION.FILE_REQUIRED', 'Send the draft as the multipart field "file" (.txt or .docx)');
    const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8');
    return this.act(res, id, { action: 'uploadDraft', fileName, contentType: file.mimetype || 'application/octet-stream', content: file.buffer }, m, v);
  }

  @Post(':id/comments') @Roles(...AGENCY)
  comment(@Param('id', ParseIdPipe) id: string, @Body() b: CommentDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'comment', anchor: b.anchor ?? null, text: b.text }, m, v);
  }

  /** "Không có ý kiến": read, nothing to add. */
  @Post(':id/no-comment') @Roles(...AGENCY)
  noComment(@Param('id', ParseIdPipe) id: string, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'noComment' }, m, v);
  }

  @Put(':id/comments/:commentId') @Roles(...AGENCY)
  edit(@Param('id', ParseIdPipe) id: string, @Param('commentId', ParseIdPipe) commentId: string, @Body() b: CommentDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'editComment', commentId, anchor: b.anchor ?? null, text: b.text }, m, v);
  }

  @Post(':id/comments/:commentId/withdraw') @HttpCode(200) @Roles(...AGENCY)
  withdraw(@Param('id', ParseIdPipe) id: string, @Param('commentId', ParseIdPipe) commentId: string, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'withdrawComment', commentId }, m, v);
  }

  /** Tiếp thu / tiếp thu một phần / không tiếp thu, with the reason. */
  @Post(':id/comments/:commentId/decision') @HttpCode(200) @Roles(...LEAD)
  decide(@Param('id', ParseIdPipe) id: string, @Param('commentId', ParseIdPipe) commentId: string, @Body() b: DecisionDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'decide', commentId, decision: b.decision, reason: b.reason }, m, v);
  }

  /** The consolidated response's text and letterhead; GET …/response.docx shows it laid out. */
  @Put(':id/response') @Roles(...LEAD)
  respond(@Param('id', ParseIdPipe) id: string, @Body() b: ResponseDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    const response = {
      parentAuthority: b.parentAuthority ?? null, issuer: b.issuer, symbol: b.symbol ?? null, place: b.place, summary: b.summary, addressees: b.addressees,
      body: b.body, recipients: b.recipients, signer: { authority: b.signer.authority ?? null, title: b.signer.title, name: b.signer.name },
    };
    return this.act(res, id, { action: 'draftResponse', response }, m, v);
  }

  /** Sends the response upward with its number and date; the linked plan case is fulfilled. */
  @Post(':id/response/submit') @HttpCode(200) @Roles(...LEAD)
  submit(@Param('id', ParseIdPipe) id: string, @Body() b: IssueDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'submitResponse', number: b.number, date: b.date }, m, v);
  }

  /** The decree itself was issued: its number and date close the consultation. */
  @Post(':id/close') @HttpCode(200) @Roles(...LEAD)
  close(@Param('id', ParseIdPipe) id: string, @Body() b: ClosedDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'close', number: b.number, date: b.date, ...(b.title ? { title: b.title } : {}) }, m, v);
  }

  @Post(':id/cancel') @HttpCode(200) @Roles('operator')
  cancel(@Param('id', ParseIdPipe) id: string, @Body() b: ReasonDto, @CommandMetadata() m: EventMetadata, @IfMatchVersion() v: number | undefined, @Res({ passthrough: true }) res: Response) {
    return this.act(res, id, { action: 'cancel', reason: b.reason }, m, v);
  }

  private async act(res: Response, id: string, input: ConsultationInput, metadata: EventMetadata, ifMatch?: number) {
    const result = await this.commands.execute(new ActOnConsultation(id, input, metadata, ifMatch));
    setVersionHeaders(res, result.version);
    return result;
  }
}
