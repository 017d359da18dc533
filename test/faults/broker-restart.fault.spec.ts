// Issue 9: the broker stopped (killed) and restarted under load: nothing lost, no duplicate effect.
// The services run on a broker of the test's own, which the test kills while commands keep coming
// and a plan is issued, then starts again on the same store.
import { describeWithPostgres } from '@thihanh/testing';
import { acknowledgementLoad, awaitCases, expectEveryAcknowledgementDelivered, explain, issueBacNinh } from './acknowledgements';
import { PrivateBroker } from './broker';
import { bearer, Cluster, issueSeedPlan, sleep } from './cluster';

describeWithPostgres('the broker killed and restarted under load', () => {
  const broker = new PrivateBroker(19192);
  const cluster = new Cluster({ services: ['plan-registry', 'task-assignment', 'reporting'], basePort: 24200, brokers: broker.address });

  beforeAll(async () => {
    await broker.start();
    await cluster.start();
  }, 300_000);
  afterAll(async () => {
    await cluster.stop();
    await broker.remove();
  }, 60_000);

  let earlier: Awaited<ReturnType<Awaited<ReturnType<typeof acknowledgementLoad>>['finish']>> = [];

  it('keeps taking commands while the broker is away, then delivers every event once, the plan issued meanwhile included', async () => {
    await issueBacNinh(cluster);
    const load = await acknowledgementLoad(cluster, 480, 25);
    load.start();
    await sleep(3_000);
    await broker.kill();
    // While the broker is away: commands still succeed (the outbox keeps their events), and a plan is issued.
    await issueSeedPlan(cluster.get('plan-registry'), 'son-la-plan.txt', '215/KH-UBND', bearer('son-la.ubnd-tinh', 'operator'));
    const health = await fetch(`${cluster.get('task-assignment').url}/health`);
    expect(health.status).toBe(503);
    await sleep(6_000);
    await broker.start();
    const outcomes = await load.finish();

    expect(outcomes.filter((o) => o.status !== 200).map(explain)).toEqual([]);
    await awaitCases(cluster, 632 + 1251);
    const delivery = await expectEveryAcknowledgementDelivered(cluster, [broker.address], outcomes);
    expect(delivery.stored).toBe(outcomes.length);
    for (const service of cluster.processes.values()) await service.healthy();
    earlier = outcomes;
    process.stdout.write(`[faults] broker killed under load: ${outcomes.length} commands at 25/s, ${JSON.stringify(delivery)}, 1,883 cases\n`);
  }, 420_000);

  it('starts a service while the broker is away: it is ready and takes commands, and its relay starts when the broker answers', async () => {
    expect(earlier.length).toBeGreaterThan(0);
    const assignment = cluster.get('task-assignment');
    await broker.kill();
    await assignment.kill('SIGKILL');
    await assignment.start();
    // Not all is well (/health), but it can take requests (/health/ready) and is alive (/health/live):
    // an orchestrator neither takes it out of service nor restarts it.
    const health = await fetch(`${assignment.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ details: { database: { status: 'up' }, kafka: { status: 'down' } } });
    expect((await fetch(`${assignment.url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${assignment.url}/health/live`)).status).toBe(200);

    const load = await acknowledgementLoad(cluster, 100, 25);
    load.start();
    const outcomes = await load.finish();
    expect(outcomes.filter((o) => o.status !== 200).map(explain)).toEqual([]);
    await broker.start();
    const delivery = await expectEveryAcknowledgementDelivered(cluster, [broker.address], [...earlier, ...outcomes]);
    expect(delivery.stored).toBe(earlier.length + outcomes.length);
    await assignment.healthy();
    expect(assignment.output(200_000)).toContain('Kafka is not answering: serving without it');
    process.stdout.write(`[faults] started without the broker: ${outcomes.length} commands taken, then delivered once the broker answered\n`);
  }, 420_000);
});
