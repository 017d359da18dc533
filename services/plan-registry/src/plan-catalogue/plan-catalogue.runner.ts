import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { PostgresEventStore, ProjectionRunner } from '@thihanh/event-store';
import { EVENT_STORE } from '@thihanh/platform';
import { planCatalogueProjection } from './plan-catalogue.projection';

/** Keeps the plan catalogue up to date while the service runs. */
@Injectable()
export class PlanCatalogueRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PlanCatalogueRunner.name);
  readonly runner: ProjectionRunner;

  constructor(@Inject(EVENT_STORE) store: PostgresEventStore) {
    this.runner = new ProjectionRunner(store, planCatalogueProjection, {
      onError: (error, attempt) => this.logger.warn(`plan-catalogue projection (attempt ${attempt}): ${String(error)}`),
    });
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.runner.stop();
  }
}
