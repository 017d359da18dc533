import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '@thihanh/auth';
import { Database } from '@thihanh/event-store';
import { MESSAGE_BUS, MessageBus } from '@thihanh/messaging';
import { DATABASE } from './tokens';

const CHECK_TIMEOUT_MS = 3000;

/**
 * Three views of a service's health, for three questions:
 * - GET /health: is everything it uses answering? 200 when the database and the broker answer, 503
 *   naming the one that does not. For people and monitoring.
 * - GET /health/ready: can it take requests? The database answers. Without the broker it still can:
 *   commands keep their events in the store (the outbox) until Kafka is back. For readiness probes.
 * - GET /health/live: is the process itself working? It answers. For liveness probes, so that no
 *   outage of something else makes the orchestrator restart it.
 */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  @Public()
  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.probe('database', () => this.db.query('SELECT 1')),
      () => this.probe('kafka', () => this.bus.ping()),
    ]);
  }

  @Public()
  @Get('health/ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.probe('database', () => this.db.query('SELECT 1'))]);
  }

  @Public()
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  private async probe(key: string, ping: () => Promise<unknown>) {
    const indicator = this.indicators.check(key);
    const started = Date.now();
    try {
      await Promise.race([
        ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
      ]);
      return indicator.up({ ms: Date.now() - started });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
