import { ClientOptions, HttpTransport } from './client';
import { DecreeConsultationApi, PlanRegistryApi, ReportingApi, TaskAssignmentApi } from './generated';

export * from './client';
export * from './generated';

/**
 * Thi Hành for agencies' own systems: one client for the four services. Commands carry an
 * Idempotency-Key (so a retry never acts twice), passing failures are retried with back-off, and
 * refusals arrive as `ThihanhApiError` with the service's stable `code`.
 *
 *   const thihanh = new ThihanhClient({ baseUrls, token });
 *   const { items } = await thihanh.taskAssignment.caseBoard.list({ query: { status: 'assigned' } });
 */
export class ThihanhClient {
  readonly planRegistry: PlanRegistryApi;
  readonly taskAssignment: TaskAssignmentApi;
  readonly decreeConsultation: DecreeConsultationApi;
  readonly reporting: ReportingApi;

  constructor(options: ClientOptions) {
    const http = new HttpTransport(options);
    this.planRegistry = new PlanRegistryApi(http);
    this.taskAssignment = new TaskAssignmentApi(http);
    this.decreeConsultation = new DecreeConsultationApi(http);
    this.reporting = new ReportingApi(http);
  }
}
