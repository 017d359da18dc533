import { Controller, Get, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ParseIdPipe, ParsePositiveIntPipe } from '@thihanh/http';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthenticatedActor, CurrentActor, Roles, seesEverything } from '@thihanh/auth';
import { CONSULTATION_STATUSES } from '@thihanh/contracts';
import { NotFoundError } from '@thihanh/domain';
import { AggregateRepository, Database, PostgresEventStore } from '@thihanh/event-store';
import { describeAnchor, diffLegalDocuments, parseLegalDocument } from '@thihanh/legal-document';
import { officialDocx } from '@thihanh/official-document';
import { DATABASE, EVENT_STORE } from '@thihanh/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { DOCX_TYPE } from '../consultation/act-on-consultation.command';
import { Consultation, maySee } from '../consultation/consultation.aggregate';
import { consultationNotFound } from '../consultation/consultation.errors';
import { agencyName, responseDocument } from '../consultation/response-document';
import { ListConsultations } from './list-consultations.query';
import { consultationRepository } from '../consultation/consultation.repository';

class ListQuery {
  @IsOptional() @IsUUID() planId?: string;
  @IsOptional() @IsIn(CONSULTATION_STATUSES) status?: string;
  @IsOptional() @IsString() @Length(1, 200) q?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit = 100;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}
class DiffQuery {
  @Type(() => Number) @IsInt() @Min(1) from!: number;
  @Type(() => Number) @IsInt() @Min(1) to!: number;
}

const ALL = ['member', 'coordinator', 'auditor', 'operator'] as const;

/** Góp ý dự thảo / consultations as their parties, auditors and operators read them. */
@ApiTags('consultations')
@Controller('consultations')
export class ConsultationBoardController {
  private readonly consultations: AggregateRepository<Consultation>;

  constructor(
    private readonly queries: QueryBus,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) store: PostgresEventStore,
  ) {
    this.consultations = consultationRepository(store);
  }

  @Get() @Roles(...ALL)
  list(@Query() query: ListQuery, @CurrentActor() actor: AuthenticatedActor) {
    return this.queries.execute(new ListConsultations({ ...query, agencyId: seesEverything(actor) ? undefined : actor.agencyId }));
  }

  /** A consultation with who has answered, its drafts and its whole history (who, when, why). */
  @Get(':id') @Roles(...ALL)
  async get(@Param('id', ParseIdPipe) id: string, @CurrentActor() actor: AuthenticatedActor, @Res({ passthrough: true }) res: Response) {
    const { aggregate: c, events: history } = await this.visibleWithHistory(id, actor);
    res.setHeader('ETag', `"${c.version}"`);
    return {
      consultationId: c.id, status: c.status, planId: c.planId, taskNumber: c.taskNumber, draft: c.draft, draftingMinistry: c.draftingMinistry,
      legalRefs: c.legalRefs, leadAgencyId: c.leadAgencyId, coordinatorAgencyIds: c.coordinatorAgencyIds, deadline: c.deadline,
      deadlineText: c.deadlineText, allowedActions: c.allowedActions, version: c.version,
      drafts: c.drafts.map(({ draftVersion, file, title, at }) => ({ draftVersion, file, title, at })),
      answers: this.mayReadAll(c, actor) ? c.answers() : c.answers().filter((a) => a.agencyId === actor.agencyId),
      response: c.response, submitted: c.submitted, issued: c.issued,
      history: history.map((e) => ({ version: e.streamVersion, type: e.type, recordedAt: e.recordedAt, actor: e.metadata.actor, correlationId: e.metadata.correlationId, causationId: e.metadata.causationId })),
    };
  }

  /** Who has answered and who has not, for the lead (an agency sees its own line). */
  @Get(':id/answers') @Roles(...ALL)
  async answers(@Param('id', ParseIdPipe) id: string, @CurrentActor() actor: AuthenticatedActor) {
    const c = await this.visible(id, actor);
    const answers = c.answers().map((a) => ({ ...a, agencyName: agencyName(a.agencyId) }));
    const items = this.mayReadAll(c, actor) ? answers : answers.filter((a) => a.agencyId === actor.agencyId);
    const count = (answer: string) => answers.filter((a) => a.answer === answer).length;
    return { deadline: c.deadline, totals: { commented: count('commented'), noComment: count('no-comment'), none: count('none') }, items };
  }

  /** The lead, auditors and operators read every comment; a coordinating agency its own. */
  @Get(':id/comments') @Roles(...ALL)
  async comments(@Param('id', ParseIdPipe) id: string, @CurrentActor() actor: AuthenticatedActor) {
    const c = await this.visible(id, actor);
    const all = [...c.comments.values()];
    const items = (this.mayReadAll(c, actor) ? all : all.filter((k) => k.agencyId === actor.agencyId)).map((k) => ({
      ...k, place: k.anchor === null ? null : describeAnchor(k.anchor),
    }));
    return { items };
  }

  /** A draft version as structure: chapters, articles, clauses and points, each with its anchor. */
  @Get(':id/drafts/:version') @Roles(...ALL)
  async draft(@Param('id', ParseIdPipe) id: string, @Param('version', ParsePositiveIntPipe) version: number, @CurrentActor() actor: AuthenticatedActor) {
    const draft = this.draftOf(await this.visible(id, actor), version);
    const document = parseLegalDocument(draft.text);
    return { draftVersion: draft.draftVersion, file: draft.file, ...document };
  }

  @Get(':id/drafts/:version/file') @Roles(...ALL)
  async draftFile(@Param('id', ParseIdPipe) id: string, @Param('version', ParsePositiveIntPipe) version: number, @CurrentActor() actor: AuthenticatedActor, @Res({ passthrough: true }) res: Response) {
    const draft = this.draftOf(await this.visible(id, actor), version);
    return this.file(res, draft.file.sha256, draft.file.name);
  }

  /** What changed between two draft versions, article by article (renumbered articles matched by their wording). */
  @Get(':id/diff') @Roles(...ALL)
  async diff(@Param('id', ParseIdPipe) id: string, @Query() q: DiffQuery, @CurrentActor() actor: AuthenticatedActor) {
    const c = await this.visible(id, actor);
    const [from, to] = [this.draftOf(c, q.from), this.draftOf(c, q.to)];
    return { from: from.draftVersion, to: to.draftVersion, articles: diffLegalDocuments(parseLegalDocument(from.text), parseLegalDocument(to.text)) };
  }

  /** The consolidated response laid out per Decree 30/2020/NĐ-CP: the sent document once submitted, else the draft with blanks. */
  @Get(':id/response.docx') @Roles(...ALL) @ApiProduces(DOCX_TYPE)
  async responseDocx(@Param('id', ParseIdPipe) id: string, @CurrentActor() actor: AuthenticatedActor, @Res({ passthrough: true }) res: Response) {
    const c = await this.visible(id, actor);
    if (!this.mayReadAll(c, actor)) throw consultationNotFound(id);
    const name = `gop-y-${c.taskNumber ?? c.id}.docx`;
    if (c.submitted?.sha256) return this.file(res, c.submitted.sha256, name);
    if (!c.response) throw new NotFoundError('CONSULTATION.NO_RESPONSE', 'No consolidated response is written yet', { id });
    res.setHeader('Content-Type', DOCX_TYPE);
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    return new StreamableFile(officialDocx(responseDocument(c, { number: null, date: null })));
  }

  private async visible(id: string, actor: AuthenticatedActor): Promise<Consultation> {
    return (await this.visibleWithHistory(id, actor)).aggregate;
  }

  private async visibleWithHistory(id: string, actor: AuthenticatedActor) {
    const found = await this.consultations.findWithHistory(id);
    // Another agency's consultation is not shown to exist.
    if (!found || !maySee(found.aggregate, actor)) throw consultationNotFound(id);
    return found;
  }

  private mayReadAll(c: Consultation, actor: AuthenticatedActor): boolean {
    return seesEverything(actor) || actor.agencyId === c.leadAgencyId;
  }

  private draftOf(c: Consultation, version: number) {
    const draft = c.drafts.find((d) => d.draftVersion === version);
    if (!draft) throw new NotFoundError('CONSULTATION.NO_SUCH_DRAFT', `There is no draft version ${version} (versions: ${c.drafts.map((d) => d.draftVersion).join(', ') || 'none'})`, { version });
    return draft;
  }

  private async file(res: Response, sha256: string, name: string) {
    const { rows } = await this.db.query<{ content_type: string; content: Buffer }>(`SELECT content_type, content FROM consultation_files WHERE sha256 = $1`, [sha256]);
    if (!rows.length) throw new NotFoundError('CONSULTATION.FILE_NOT_FOUND', `No file ${sha256}`, { sha256 });
    res.setHeader('Content-Type', rows[0].content_type);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.setHeader('Digest', `sha-256=${Buffer.from(sha256, 'hex').toString('base64')}`);
    return new StreamableFile(rows[0].content);
  }
}
