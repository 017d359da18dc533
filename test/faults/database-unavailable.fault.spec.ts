// Issue 9: PostgreSQL unavailable. Commands fail fast with 503 and a problem+json body, nothing is
// half-written, and the service recovers by itself once the database is back. Task-assignment reaches
// its database through a proxy the test cuts (connections dropped, new ones refused) and restores.
import { databaseUrl, describeWithKafka, kafkaBrokers } from '@thihanh/testing';
import { acknowledgementLoad, expectEveryAcknowledgementDelivered, explain, issueBacNinh, storedCorrelations } from './acknowledgements';
import { Cluster, sleep } from './cluster';
import { TcpProxy } from './tcp-proxy';

describeWithKafka('PostgreSQL unavailable under load', () => {
  const server = new URL(databaseUrl()!);
  const proxy = new TcpProxy(24390, { host: server.hostname, port: Number(server.port || 5432) });
  const cluster = new Cluster({
    services: ['plan-registry', 'task-assignment', 'reporting'],
    basePort: 24300,
    brokers: kafkaBrokers()!.join(','),
    databaseUrlOf: (service, direct) => (service === 'task-assignment' ? proxy.url(direct) : direct),
  });

  beforeAll(async () => {
    await proxy.open();
    await cluster.start();
  }, 300_000);
  afterAll(async () => {
    await cluster.stop();
    await proxy.cut();
  }, 60_000);

  it('answers 503 problem+json at once while the database is away, writes nothing for those, and recovers by itself', async () => {
    const assignment = cluster.get('task-assignment');
    await issueBacNinh(cluster);
    const load = await acknowledgementLoad(cluster, 400, 25);
    load.start();
    await sleep(3_000);
    await proxy.cut();
    await sleep(1_000);
    assignment.expectAlive();
    const health = await fetch(`${assignment.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 503, details: { database: { status: 'down' }, kafka: { status: 'up' } } });
    await sleep(4_000);
    await proxy.restore();
    const restored = Date.now();
    const outcomes = await load.finish();

    const unavailable = outcomes.filter((o) => o.status === 503);
    expect(outcomes.filter((o) => o.status !== 200 && o.status !== 503).map(explain).slice(0, 5)).toEqual([]);
    expect(unavailable.length).toBeGreaterThan(0);
    // Each 503 is a problem+json with a code and a Retry-After, and came fast (no hanging on the dead database).
    expect(unavailable.filter((o) => o.contentType?.startsWith('application/problem+json') !== true || (o.body as { code?: string }).code !== 'DATABASE.UNAVAILABLE').map(explain)).toEqual([]);
    expect(Math.max(...unavailable.map((o) => o.ms))).toBeLessThan(3_000);
    // Recovered without anyone's help: the commands sent after the outage (a second for the pool to
    // reconnect) went through.
    const afterOutage = outcomes.filter((o) => o.sentAt >= restored + 1_000);
    expect(afterOutage.length).toBeGreaterThan(0);
    expect(afterOutage.filter((o) => o.status !== 200).map(explain)).toEqual([]);
    await assignment.healthy();

    // A 503 means "not known to be done": a connection cut during COMMIT leaves the client without the
    // answer of a transaction that did commit. The answer for the key is kept in the command's own
    // transaction (ADR 0016), so the client's retry (same request, same Idempotency-Key) after the
    // outage replays the answer of one that committed, and runs one that did not — once.
    const committedBefore = await storedCorrelations(cluster);
    const leftClaimed = await cluster.sql('task-assignment', async (c) =>
      (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM http_idempotency WHERE status IS NULL AND key = ANY ($1)`, [unavailable.map((o) => o.correlationId)])).rows[0].n,
    );
    const retried = await Promise.all(unavailable.map((o) => load.resend(o)));
    const answers = retried.map((r) => ({ status: r.status, code: (r.body as { code?: string }).code, replayed: r.replayed, committed: committedBefore.has(r.correlationId) }));
    // Even a key the outage left "in progress" (its release failed with the database) is taken over:
    // this process knows that run is over.
    expect(answers.filter((a) => a.status !== 200 || a.replayed !== a.committed)).toEqual([]);
    const final = outcomes.map((o) => (o.status === 503 ? retried.find((r) => r.correlationId === o.correlationId)! : o));
    const delivery = await expectEveryAcknowledgementDelivered(cluster, kafkaBrokers()!, final);
    // Every command is stored exactly once: nothing lost, nothing doubled by the retries.
    expect(delivery.stored).toBe(outcomes.length);
    const ambiguous = answers.filter((a) => a.committed).length;
    expect(assignment.pids).toHaveLength(1);
    const slowest = Math.round(Math.max(...unavailable.map((o) => o.ms)));
    process.stdout.write(
      `[faults] database away under load: ${outcomes.length} commands, ${JSON.stringify(delivery)}, slowest 503 in ${slowest} ms; ` +
        `${unavailable.length} retried after the outage (${leftClaimed} with their key left claimed), ${ambiguous} of them had committed before their 503 (their retries replayed)\n`,
    );
  }, 420_000);
});
