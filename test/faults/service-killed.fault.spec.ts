// Issue 9: a service killed with SIGKILL under load and restarted. Every command that got a 2xx has its
// event in the store, on Kafka, and applied exactly once in every read model downstream.
import { inNamespace, TOPICS } from '@thihanh/contracts';
import { eventually } from '@thihanh/fixtures';
import { describeWithKafka, kafkaBrokers } from '@thihanh/testing';
import { bearer, Cluster, issueSeedPlan, sleep } from './cluster';
import { byStatus, eventIdsOnTopic, OpenLoopLoad, Outcome } from './load';

interface Acknowledgement {
  caseId: string;
  agencyId: string;
  focalPoint: string;
}

describeWithKafka('a service killed with SIGKILL under load, and restarted', () => {
  const cluster = new Cluster({ services: ['plan-registry', 'task-assignment', 'reporting'], basePort: 24100, brokers: kafkaBrokers()!.join(',') });

  beforeAll(() => cluster.start(), 300_000);
  afterAll(() => cluster.stop(), 60_000);

  it('loses no acknowledged command: each is in the store, on Kafka, and applied once in task-assignment and reporting', async () => {
    const registry = cluster.get('plan-registry');
    const assignment = cluster.get('task-assignment');
    const reporting = cluster.get('reporting');
    await issueSeedPlan(registry, 'bac-ninh-plan.txt', '125/KH-UBND', bearer('bac-ninh.ubnd-tinh', 'operator'));
    const openCases = () => cluster.sql('task-assignment', async (c) => (await c.query(`SELECT count(*)::int AS n FROM assignment_cases`)).rows[0].n as number);
    await eventually(openCases, (n) => n === 632, '632 cases of the Bắc Ninh plan in task-assignment', 120_000);
    const reportedCases = () => cluster.sql('reporting', async (c) => (await c.query(`SELECT count(*)::int AS n FROM rp_cases`)).rows[0].n as number);
    await eventually(reportedCases, (n) => n === 632, '632 cases in reporting', 120_000);

    // Each open case acknowledged by its own agency, naming a focal point of its own.
    const { rows } = await cluster.sql('task-assignment', (c) =>
      c.query<{ assignment_id: string; agency_id: string }>(`SELECT assignment_id, agency_id FROM assignment_cases WHERE status = 'assigned' ORDER BY assignment_id LIMIT 480`),
    );
    expect(rows.length).toBeGreaterThanOrEqual(300);
    const commands: Acknowledgement[] = rows.map((r, i) => ({ caseId: r.assignment_id, agencyId: r.agency_id, focalPoint: `Cán bộ đầu mối ${i + 1}` }));
    const load = new OpenLoopLoad(
      commands,
      (p) => ({
        method: 'POST',
        url: `${assignment.url}/cases/${p.caseId}/acknowledge`,
        headers: { authorization: bearer(p.agencyId, 'member') },
        body: { focalPoint: { name: p.focalPoint } },
      }),
      25,
    );
    load.start();
    // Task-assignment (the writer) dies mid-stream and comes back; then reporting (a consumer) does.
    await sleep(3_000);
    await assignment.kill('SIGKILL');
    await sleep(1_000);
    await assignment.start();
    await sleep(2_000);
    await reporting.kill('SIGKILL');
    await sleep(1_000);
    await reporting.start();
    const outcomes = await load.finish();

    const counts = byStatus(outcomes);
    const acked = outcomes.filter((o) => o.status === 200);
    const unanswered = outcomes.filter((o) => o.status === 0);
    const refused = outcomes.filter((o) => o.status !== 200 && o.status !== 0);
    expect({ counts, refused: refused.map(explain) }).toEqual({ counts, refused: [] });
    // The kill happened under load (some commands found no service), and the service took commands again after it.
    expect(unanswered.length).toBeGreaterThan(0);
    expect(acked.length).toBeGreaterThan(100);
    expect(outcomes.at(-1)!.status).toBe(200);

    // The store: one AssignmentAcknowledged per acknowledged command, found by its correlation id.
    const stored = await cluster.sql('task-assignment', async (c) =>
      (
        await c.query<{ event_id: string; stream_id: string; correlation_id: string }>(
          `SELECT event_id, stream_id, metadata->>'correlationId' AS correlation_id FROM es_events WHERE event_type = 'AssignmentAcknowledged'`,
        )
      ).rows,
    );
    const byCorrelation = new Map<string, typeof stored>();
    for (const e of stored) byCorrelation.set(e.correlation_id, [...(byCorrelation.get(e.correlation_id) ?? []), e]);
    const notStoredOnce = acked.filter((o) => byCorrelation.get(o.correlationId)?.length !== 1);
    expect(notStoredOnce.map(explain)).toEqual([]);
    // A command that got no answer is either wholly there or not at all; none is there twice.
    expect(stored.length).toBe(byCorrelation.size);
    expect(stored.length).toBeGreaterThanOrEqual(acked.length);
    expect(stored.length).toBeLessThanOrEqual(acked.length + unanswered.length);

    // Kafka: every stored event was published (the relay may publish one twice after a kill; the inboxes drop it).
    const topic = inNamespace(TOPICS.taskAssignmentEvents, cluster.namespace);
    const published = new Set(await eventIdsOnTopic(kafkaBrokers()!, topic));
    expect(stored.filter((e) => !published.has(e.event_id)).map((e) => e.event_id)).toEqual([]);

    // Reporting: each stored event applied exactly once (inbox and source log), and the read model shows it.
    const inReporting = await eventually(
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
    expect(inReporting.filter((r) => r.inbox !== 1 || r.source !== 1)).toEqual([]);

    // The read models on both sides: exactly the cases whose acknowledgement is stored are acknowledged.
    const storedCases = stored.map((e) => e.stream_id.replace(/^assignment-/, '')).sort();
    const acknowledged = (service: 'task-assignment' | 'reporting', table: string) =>
      cluster.sql(service, async (c) =>
        (await c.query<{ id: string }>(`SELECT assignment_id::text AS id FROM ${table} WHERE status = 'acknowledged' ORDER BY 1`)).rows.map((r) => r.id),
      );
    await eventually(() => acknowledged('task-assignment', 'assignment_cases'), (ids) => ids.length >= storedCases.length, 'the case board to show every acknowledgement');
    expect(await acknowledged('task-assignment', 'assignment_cases')).toEqual(storedCases);
    expect(await acknowledged('reporting', 'rp_cases')).toEqual(storedCases);
    const ackedCases = new Set(acked.map((o) => o.command.caseId));
    expect(storedCases.filter((id) => ackedCases.has(id))).toHaveLength(ackedCases.size);

    // Both services came back on their own and are healthy; each ran twice.
    await assignment.healthy();
    await reporting.healthy();
    expect(assignment.pids).toHaveLength(2);
    expect(reporting.pids).toHaveLength(2);
    process.stdout.write(
      `[faults] SIGKILL under load: ${outcomes.length} commands at 25/s, ${JSON.stringify(counts)}; ${stored.length} events stored, ` +
        `${published.size} distinct ids on ${topic}, each applied once in reporting\n`,
    );
  }, 420_000);
});

function explain(o: Outcome<Acknowledgement>): string {
  return `${o.status} ${o.command.caseId} ${o.correlationId} ${JSON.stringify(o.body).slice(0, 300)}`;
}
