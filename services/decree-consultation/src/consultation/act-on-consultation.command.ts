import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommentDecision, ConsultationResponseContent, DocumentReference, EventMetadata } from '@thihanh/contracts';
import { CLOCK, Clock, ID_SOURCE, IdSource } from '@thihanh/domain';
import { AggregateRepository, Database, PostgresEventStore } from '@thihanh/event-store';
import { assertIfMatch } from '@thihanh/http';
import { legalDocumentText } from '@thihanh/legal-document';
import { officialDocx } from '@thihanh/official-document';
import { BackgroundWorkers, DATABASE, EVENT_STORE } from '@thihanh/platform';
import { authorize, Consultation, ConsultationAction, maySee } from './consultation.aggregate';
import { consultationNotFound } from './consultation.errors';

import { responseDocument } from './response-document';
import { consultationRepository } from './consultation.repository';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** What each action needs from the request; `at`, ids and the actor come from the server. */
export type ConsultationInput =
  | { action: 'setDeadline'; deadline: string; source: 'ministry-request' | 'operator'; request?: DocumentReference & { ministry?: string } }
  | { action: 'recordMinistry'; draftingMinistry: string }
  | { action: 'uploadDraft'; fileName: string; contentType: string; content: Buffer }
  | { action: 'comment'; anchor: string | null; text: string }
  | { action: 'noComment' }
  | { action: 'editComment'; commentId: string; anchor: string | null; text: string }
  | { action: 'withdrawComment'; commentId: string }
  | { action: 'decide'; commentId: string; decision: CommentDecision; reason: string }
  | { action: 'draftResponse'; response: ConsultationResponseContent }
  | { action: 'submitResponse'; number: string; date: string }
  | { action: 'close'; number: string; date: string; title?: string }
  | { action: 'cancel'; reason: string };

/** The permission each input is checked against. */
const PERMISSION: Record<ConsultationInput['action'], ConsultationAction> = {
  setDeadline: 'setDeadline', recordMinistry: 'recordMinistry', uploadDraft: 'uploadDraft', comment: 'comment', noComment: 'comment',
  editComment: 'editComment', withdrawComment: 'withdrawComment', decide: 'decide', draftResponse: 'draftResponse',
  submitResponse: 'submitResponse', close: 'close', cancel: 'cancel',
};

export class ActOnConsultation {
  constructor(
    readonly consultationId: string,
    readonly input: ConsultationInput,
    readonly metadata: EventMetadata,
    readonly ifMatch?: number,
  ) {}
}

/**
 * Every consultation command the same way: load, check who may (an agency with no part in it is told
 * it does not exist), let the aggregate decide, append with the expected version. Files (drafts, the
 * response) are stored by their SHA-256 after the append, in the same unit of work: kept exactly when
 * the event that refers to them is.
 */
@CommandHandler(ActOnConsultation)
export class ActOnConsultationHandler implements ICommandHandler<ActOnConsultation> {
  private readonly consultations: AggregateRepository<Consultation>;

  constructor(
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
    private readonly workers: BackgroundWorkers,
  ) {
    this.consultations = consultationRepository(store);
  }

  async execute({ consultationId, input, metadata, ifMatch }: ActOnConsultation) {
    const consultation = await this.consultations.find(consultationId);
    const actor = { agencyId: metadata.actor.agencyId, roles: metadata.actor.roles ?? [] };
    if (!consultation || !maySee(consultation, actor)) throw consultationNotFound(consultationId);
    assertIfMatch(ifMatch, consultation.version, 'consultation');
    authorize(consultation, actor, PERMISSION[input.action]);
    const at = this.clock.now().toISOString();
    const result: Record<string, unknown> = {};
    const files: { sha256: string; contentType: string; content: Buffer }[] = [];
    switch (input.action) {
      case 'setDeadline': consultation.setDeadline(input.deadline, input.source, at, input.request); break;
      case 'recordMinistry': consultation.recordMinistry(input.draftingMinistry); break;
      case 'uploadDraft': {
        const sha256 = sha256Of(input.content);
        consultation.uploadDraft({ name: input.fileName, sha256, size: input.content.length }, legalDocumentText(input.fileName, input.content), at);
        files.push({ sha256, contentType: input.contentType, content: input.content });
        result['draftVersion'] = consultation.drafts.length;
        break;
      }
      case 'comment':
      case 'noComment': {
        const commentId = this.ids.next();
        if (input.action === 'comment') consultation.comment(commentId, actor.agencyId, input.anchor, input.text, at);
        else consultation.answerNoComment(commentId, actor.agencyId, at);
        // "No comment" said twice is one answer: the first one's id.
        result['commentId'] = consultation.pendingEvents.length ? commentId : consultation.activeComments.find((c) => c.agencyId === actor.agencyId)?.commentId;
        break;
      }
      case 'editComment': consultation.editComment(input.commentId, actor.agencyId, input.text, input.anchor, at); break;
      case 'withdrawComment': consultation.withdrawComment(input.commentId, actor.agencyId, at); break;
      case 'decide': consultation.decide(input.commentId, input.decision, input.reason, at); break;
      case 'draftResponse': consultation.draftResponse(input.response, at); break;
      case 'submitResponse': {
        // Rendered before deciding, so the event records the hash of exactly the bytes that were sent.
        const docx = consultation.response ? officialDocx(responseDocument(consultation, input)) : Buffer.alloc(0);
        const sha256 = sha256Of(docx);
        consultation.submitResponse({ title: consultation.response?.summary ?? '', number: input.number, date: input.date, sha256 }, at);
        files.push({ sha256, contentType: DOCX_TYPE, content: docx });
        result['sha256'] = sha256;
        break;
      }
      case 'close': consultation.close({ number: input.number, date: input.date, ...(input.title ? { title: input.title } : {}) }, at); break;
      case 'cancel': consultation.cancel(input.reason, at); break;
    }
    const saved = await this.consultations.save(consultation, metadata);
    // After the append, the transaction's first write; in the same unit of work, so kept with it.
    for (const file of files) {
      await this.db.query(
        `INSERT INTO consultation_files (sha256, size, content_type, content) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`,
        [file.sha256, file.content.length, file.contentType, file.content],
      );
    }
    if (saved) this.workers.poke();
    return { consultationId, status: consultation.status, version: saved?.nextVersion ?? consultation.version, ...result };
  }
}

const sha256Of = (content: Buffer) => createHash('sha256').update(content).digest('hex');
