import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AssignmentFocalPoint, DueDateSource, EventMetadata } from '@thihanh/contracts';
import { CLOCK, Clock, ID_SOURCE, IdSource } from '@thihanh/domain';
import { AggregateRepository, Database, PostgresEventStore } from '@thihanh/event-store';
import { assertIfMatch } from '@thihanh/http';
import { BackgroundWorkers, DATABASE, EVENT_STORE } from '@thihanh/platform';
import { Assignment, AssignmentAction, DeliverableInput, authorize } from './assignment.aggregate';
import { assignmentNotFound } from './assignment.errors';
import { assignmentRepository } from './assignment.repository';

/** The bytes of an uploaded deliverable; `deliverable.file` names them by their SHA-256. */
export interface UploadedFile {
  contentType: string;
  content: Buffer;
}

/** What each action needs from the request; `at`, ids and the actor come from the server. */
export type ActionInput =
  | { action: 'acknowledge'; focalPoint: AssignmentFocalPoint }
  | { action: 'reportProgress'; percent: number; note: string }
  | { action: 'submitDeliverable'; deliverable: Omit<DeliverableInput, 'deliverableId'>; upload?: UploadedFile }
  | { action: 'requestExtension'; newDueBefore: string; reason: string }
  | { action: 'grantExtension'; requestId: string; newDueBefore?: string }
  | { action: 'refuseExtension'; requestId: string; reason: string }
  | { action: 'accept'; note?: string }
  | { action: 'return'; reason: string }
  | { action: 'reassign'; toAgencyId: string; reason: string }
  | { action: 'block'; reason: string }
  | { action: 'unblock'; reason: string }
  | { action: 'openGate'; gate: string; dueBefore?: string }
  | { action: 'setDueDate'; dueBefore: string; source: DueDateSource };

export class ActOnAssignment {
  constructor(
    readonly assignmentId: string,
    readonly input: ActionInput,
    readonly metadata: EventMetadata,
    readonly ifMatch?: number,
  ) {}
}

/**
 * Every lifecycle command the same way: load the case, check who may (an agency with no part in it
 * is told the case does not exist), let the aggregate decide, append with the expected version.
 */
@CommandHandler(ActOnAssignment)
export class ActOnAssignmentHandler implements ICommandHandler<ActOnAssignment> {
  private readonly assignments: AggregateRepository<Assignment>;

  constructor(
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
    private readonly workers: BackgroundWorkers,
    @Inject(DATABASE) private readonly db: Database,
  ) {
    this.assignments = assignmentRepository(store);
  }

  async execute({ assignmentId, input, metadata, ifMatch }: ActOnAssignment) {
    const assignment = await this.assignments.find(assignmentId);
    const actor = { agencyId: metadata.actor.agencyId, roles: metadata.actor.roles ?? [] };
    const involved =
      assignment &&
      [assignment.assignedAgencyId, ...assignment.leadAgencyIds, assignment.planCoordinatorAgencyId].includes(actor.agencyId);
    if (!assignment || !(involved || actor.roles.includes('operator'))) throw assignmentNotFound(assignmentId);
    assertIfMatch(ifMatch, assignment.version, 'assignment');
    authorize(assignment, actor, input.action as AssignmentAction);
    const at = this.clock.now().toISOString();
    const result: Record<string, unknown> = {};
    switch (input.action) {
      case 'acknowledge': assignment.acknowledge(input.focalPoint, at); break;
      case 'reportProgress': assignment.reportProgress(input.percent, input.note, at); break;
      case 'submitDeliverable': {
        const deliverableId = this.ids.next();
        assignment.submitDeliverable({ ...input.deliverable, deliverableId }, at);
        result['deliverableId'] = deliverableId;
        break;
      }
      case 'requestExtension': {
        const requestId = this.ids.next();
        assignment.requestExtension(requestId, input.newDueBefore, input.reason, at);
        result['requestId'] = requestId;
        break;
      }
      case 'grantExtension': assignment.grantExtension(input.requestId, at, input.newDueBefore); break;
      case 'refuseExtension': assignment.refuseExtension(input.requestId, input.reason, at); break;
      case 'accept': assignment.accept(at, input.note); break;
      case 'return': assignment.return(input.reason, at); break;
      case 'reassign': assignment.reassign(input.toAgencyId, input.reason, at); break;
      case 'block': assignment.block(input.reason, at); break;
      case 'unblock': assignment.unblock(input.reason, at); break;
      case 'openGate': assignment.openGate(input.gate, at, input.dueBefore); break;
      case 'setDueDate': assignment.setDueDate(input.dueBefore, input.source); break;
    }
    const saved = await this.assignments.save(assignment, metadata);
    // After the append (its transaction's first write, as the store needs) and in the same unit of
    // work: the bytes are kept exactly when the case records them, so a refused upload leaves none.
    if (input.action === 'submitDeliverable' && input.upload && input.deliverable.file) await this.keepFile(input.deliverable.file.sha256, input.upload);
    this.workers.poke();
    return { assignmentId, status: assignment.status, version: saved?.nextVersion ?? assignment.version, ...result };
  }

  private async keepFile(sha256: string, { contentType, content }: UploadedFile): Promise<void> {
    await this.db.query(
      `INSERT INTO deliverable_files (sha256, size, content_type, content) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`,
      [sha256, content.length, contentType, content],
    );
  }
}
