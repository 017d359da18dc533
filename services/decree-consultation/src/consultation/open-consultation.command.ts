import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventMetadata } from '@thihanh/contracts';
import { ID_SOURCE, IdSource } from '@thihanh/domain';
import { AggregateRepository, PostgresEventStore } from '@thihanh/event-store';
import { BackgroundWorkers, EVENT_STORE } from '@thihanh/platform';
import { Consultation, ConsultationOpening } from './consultation.aggregate';

import { consultationRepository } from './consultation.repository';

/** An operator opens a consultation no plan task called for (a draft sent for comment out of plan). */
export class OpenConsultation {
  constructor(
    readonly opening: Omit<ConsultationOpening, 'source' | 'planId' | 'planVersion' | 'taskNumber'>,
    readonly metadata: EventMetadata,
  ) {}
}

@CommandHandler(OpenConsultation)
export class OpenConsultationHandler implements ICommandHandler<OpenConsultation> {
  private readonly consultations: AggregateRepository<Consultation>;

  constructor(
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
    private readonly workers: BackgroundWorkers,
  ) {
    this.consultations = consultationRepository(store);
  }

  async execute({ opening, metadata }: OpenConsultation) {
    const consultation = new Consultation(this.ids.next());
    consultation.open({ ...opening, planId: null, planVersion: null, taskNumber: null, source: 'operator' });
    const saved = await this.consultations.save(consultation, metadata);
    this.workers.poke();
    return { consultationId: consultation.id, status: consultation.status, version: saved?.nextVersion ?? consultation.version };
  }
}
