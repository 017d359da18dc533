// Issue 9: a service killed with SIGKILL under load and restarted. Every command that got a 2xx has its
// event in the store, on Kafka, and applied exactly once in every read model downstream.
import { describeWithKafka, kafkaBrokers } from '@thihanh/testing';
import { acknowledgementLoad, expectEveryAcknowledgementDelivered, explain, issueBacNinh } from './acknowledgements';
import { Cluster, sleep } from './cluster';

describeWithKafka('a service killed with SIGKILL under load, and restarted', () => {
  const cluster = new Cluster({ services: ['plan-registry', 'task-assignment', 'reporting'], basePort: 24100, brokers: kafkaBrokers()!.join(',') });

  beforeAll(() => cluster.start(), 300_000);
  afterAll(() => cluster.stop(), 60_000);

  it('loses no acknowledged command: each is in the store, on Kafka, and applied once in task-assignment and reporting', async () => {
    const assignment = cluster.get('task-assignment');
    const reporting = cluster.get('reporting');
    await issueBacNinh(cluster);

    // Enough commands (the plan's 632 cases at 15/s: 42 s) to outlast both restarts however slow they
    // are; the load stops a little after the second.
    const load = await acknowledgementLoad(cluster, 632, 15);
    load.start();
    // Task-assignment (the writer) dies mid-stream and comes back; then reporting (a consumer) does.
    await sleep(3_000);
    await assignment.kill('SIGKILL');
    await sleep(1_000);
    await assignment.start();
    const assignmentBack = Date.now();
    await sleep(2_000);
    await reporting.kill('SIGKILL');
    await sleep(1_000);
    await reporting.start();
    await sleep(2_000);
    const outcomes = await load.stop();

    // Only two answers: done (200), or no service to answer (0) while task-assignment was down.
    const refused = outcomes.filter((o) => o.status !== 200 && o.status !== 0);
    expect(refused.map(explain)).toEqual([]);
    // The kill happened under load, and once the service was back every command was done.
    expect(outcomes.filter((o) => o.status === 0).length).toBeGreaterThan(0);
    const afterRestart = outcomes.filter((o) => o.sentAt >= assignmentBack);
    expect(afterRestart.length).toBeGreaterThan(0);
    expect(afterRestart.filter((o) => o.status !== 200).map(explain)).toEqual([]);

    const delivery = await expectEveryAcknowledgementDelivered(cluster, kafkaBrokers()!, outcomes);

    // Both services came back by themselves; each ran as two processes.
    await assignment.healthy();
    await reporting.healthy();
    expect(assignment.pids).toHaveLength(2);
    expect(reporting.pids).toHaveLength(2);
    process.stdout.write(`[faults] SIGKILL under load: ${outcomes.length} commands at 15/s, ${JSON.stringify(delivery)}\n`);
  }, 420_000);
});
