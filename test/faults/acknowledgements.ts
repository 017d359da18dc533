// The workload of the kill and broker fault tests: the Bắc Ninh plan issued, then its open cases
// acknowledged by their own agencies at a fixed rate, and the checks that every acknowledged command
// is stored once, published, and applied once in task-assignment's and reporting's read models.
import { inNamespace, TOPICS } from '@thihanh/contracts';
import { eventually } from '@thihanh/fixtures';
import { bearer, Cluster, issueSeedPlan } from './cluster';
import { byStatus, eventIdsOnTopic, OpenLoopLoad, Outcome } from './load';

export interface Acknowledgement {
  caseId: string;
  agencyId: string;
  focalPoint: string;
}

const countOf = (cluster: Cluster, service: 'task-assignment' | 'reporting', table: string) => () =>
  cluster.sql(service, async (c) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);

/** Waits until task-assignment and reporting both hold exactly `cases` cases. */
export async function awaitCases(cluster: Cluster, cases: number, timeoutMs = 120_000): Promise<void> {
  await eventually(countOf(cluster, 'task-assignment', 'assignment_cases'), (n) => n === cases, `${cases} cases in task-assignment`, timeoutMs);
  await eventually(countOf(cluster, 'reporting', 'rp_cases'), (n) => n === cases, `${cases} cases in reporting`, timeoutMs);
}

/** Issues the Bắc Ninh plan (632 cases) and waits for its cases downstream. */
export async function issueBacNinh(cluster: Cluster): Promise<void> {
  await issueSeedPlan(cluster.get('plan-registry'), 'bac-ninh-plan.txt', '125/KH-UBND', bearer('bac-ninh.ubnd-tinh', 'operator'));
  await awaitCases(cluster, 632);
}

/** Up to `limit` open cases, each to be acknowledged by its own agency naming a focal point of its own, at `perSecond`. */
export async function acknowledgementLoad(cluster: Cluster, limit: number, perSecond: number): Promise<OpenLoopLoad<Acknowledgement>> {
  const { rows } = await cluster.sql('task-assignment', (c) =>
    c.query<{ assignment_id: string; agency_id: string }>(`SELECT assignment_id, agency_id FROM assignment_cases WHERE status = 'assigned' ORDER BY assignment_id LIMIT $1`, [limit]),
  );
  if (rows.length < limit / 2) throw new Error(`Only ${rows.length} open cases to acknowledge`);
  const url = cluster.get('task-assignment').url;
  return new OpenLoopLoad(
    rows.map((r, i) => ({ caseId: r.assignment_id, agencyId: r.agency_id, focalPoint: `Cán bộ đầu mối ${i + 1}` })),
    (a) => ({
      method: 'POST',
      url: `${url}/cases/${a.caseId}/acknowledge`,
      headers: { authorization: bearer(a.agencyId, 'member') },
      body: { focalPoint: { name: a.focalPoint } },
    }),
    perSecond,
  );
}

/** The correlation ids of the acknowledgements in task-assignment's store. */
export async function storedCorrelations(cluster: Cluster): Promise<Set<string>> {
  return cluster.sql('task-assignment', async (c) =>
    new Set((await c.query<{ id: string }>(`SELECT metadata->>'correlationId' AS id FROM es_events WHERE event_type = 'AssignmentAcknowledged'`)).rows.map((r) => r.id)),
  );
}

export interface Delivery {
  counts: Record<number, number>;
  stored: number;
  published: number;
}

/**
 * Every acknowledged (2xx) command has exactly one event in task-assignment's store; every stored
 * acknowledgement (answered or not) is on Kafka, applied exactly once by reporting (inbox and source
 * log), and shown by both read models — which show no other. Commands answered otherwise are `refused`.
 */
export async function expectEveryAcknowledgementDelivered(cluster: Cluster, brokers: string[], outcomes: Outcome<Acknowledgement>[]): Promise<Delivery> {
  const acked = outcomes.filter((o) => o.status === 200);
  const unanswered = outcomes.filter((o) => o.status === 0);

  const stored = await cluster.sql('task-assignment', async (c) =>
    (
      await c.query<{ event_id: string; stream_id: string; correlation_id: string }>(
        `SELECT event_id, stream_id, metadata->>'correlationId' AS correlation_id FROM es_events WHERE event_type = 'AssignmentAcknowledged'`,
      )
    ).rows,
  );
  const byCorrelation = new Map<string, number>();
  for (const e of stored) byCorrelation.set(e.correlation_id, (byCorrelation.get(e.correlation_id) ?? 0) + 1);
  expect(acked.filter((o) => byCorrelation.get(o.correlationId) !== 1).map(explain)).toEqual([]);
  // A command that got no answer is either wholly there or not at all; none is there twice.
  expect(stored.length).toBe(byCorrelation.size);
  expect(stored.length).toBeGreaterThanOrEqual(acked.length);
  expect(stored.length).toBeLessThanOrEqual(acked.length + unanswered.length);

  // Kafka: every stored event was published (after a crash the relay may publish one again; inboxes drop it).
  const topic = inNamespace(TOPICS.taskAssignmentEvents, cluster.namespace);
  const published = new Set(
    await eventually(
      () => eventIdsOnTopic(brokers, topic),
      (ids) => stored.every((e) => ids.includes(e.event_id)),
      `the ${stored.length} stored acknowledgements on ${topic}`,
      90_000,
    ),
  );

  const applied = await eventually(
    () =>
      cluster.sql('reporting', async (c) =>
        (
          await c.query<{ event_id: string; inbox: number; source: number }>(
            `SELECT e.id AS event_id,
                    (SELECT count(*)::int FROM msg_inbox i WHERE i.event_id = e.id) AS inbox,
                    (SELECT count(*)::int FROM rp_source_events s WHERE s.event_id = e.id) AS source
               FROM unnest($1::uuid[]) AS e(id)`,
            [stored.map((e) => e.event_id)],
          )
        ).rows,
      ),
    (rows) => rows.every((r) => r.inbox > 0),
    `reporting to apply the ${stored.length} acknowledgements`,
    120_000,
  );
  expect(applied.filter((r) => r.inbox !== 1 || r.source !== 1)).toEqual([]);

  // Both read models show exactly the cases whose acknowledgement is stored, and no other.
  const storedCases = stored.map((e) => e.stream_id.replace(/^assignment-/, '')).sort();
  const acknowledged = (service: 'task-assignment' | 'reporting', table: string) =>
    cluster.sql(service, async (c) => (await c.query<{ id: string }>(`SELECT assignment_id::text AS id FROM ${table} WHERE status = 'acknowledged' ORDER BY 1`)).rows.map((r) => r.id));
  await eventually(() => acknowledged('task-assignment', 'assignment_cases'), (ids) => ids.length >= storedCases.length, 'the case board to show every acknowledgement');
  expect(await acknowledged('task-assignment', 'assignment_cases')).toEqual(storedCases);
  expect(await acknowledged('reporting', 'rp_cases')).toEqual(storedCases);
  return { counts: byStatus(outcomes), stored: stored.length, published: published.size };
}

export function explain(o: Outcome<Acknowledgement>): string {
  return `${o.status} ${o.command.caseId} ${o.correlationId} ${JSON.stringify(o.body).slice(0, 300)}`;
}
