import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PostgresEventStore, ProjectionRunner } from '@thihanh/event-store';
import { EVENT_STORE } from '@thihanh/platform';
import { caseBoardProjection } from './case-board.projection';

@Injectable()
export class CaseBoardRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CaseBoardRunner.name);
  readonly runner: ProjectionRunner;

  constructor(@Inject(EVENT_STORE) store: PostgresEventStore) {
    this.runner = new ProjectionRunner(store, caseBoardProjection, {
      batchSize: 2000,
      onError: (error, attempt) => this.logger.warn(`case-board projection (attempt ${attempt}): ${String(error)}`),
    });
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.runner.stop();
  }
}
