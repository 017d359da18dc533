import { EventEnvelope, PlanIssuedV1 } from '@thihanh/contracts';
import { ManualClock } from '@thihanh/domain';
import { EVENT_STORE_MIGRATIONS, PgDatabase, PostgresEventStore } from '@thihanh/event-store';
import { aMetadata, anEnvelope, describeWithPostgres, useTestDatabase } from '@thihanh/testing';
import { AssignmentCases1764300000000 } from '../migrations/1764300000000-assignment-cases';
import { AssignmentPlans1764300000100 } from '../migrations/1764300000100-assignment-plans';
import { OpenPlanCases } from './open-plan-cases';
import { issuedSeed } from '@thihanh/fixtures';

describeWithPostgres('opening cases from an issued plan, and each new year’s cycle', () => {
  const database = useTestDatabase([...EVENT_STORE_MIGRATIONS, AssignmentCases1764300000000, AssignmentPlans1764300000100]);

  it('opens the plan’s cases once, then the next year’s recurring cycles when the year turns, once', async () => {
    const db = new PgDatabase(database.current.pool);
    const store = new PostgresEventStore(db);
    const clock = new ManualClock('2026-11-25T03:00:00.000Z');
    const opener = new OpenPlanCases(store, clock);
    const issued: EventEnvelope<PlanIssuedV1> = anEnvelope({
      type: 'PlanIssued',
      data: { planId: '0190a1b2-0000-7000-8000-000000000001', planVersion: 1, content: issuedSeed('son-la-plan.txt') },
      metadata: aMetadata(),
    });
    expect(await db.transaction((tx) => opener.forIssuedPlan(issued, tx))).toEqual({ opened: 1251, existing: 0 });
    expect(await db.transaction((tx) => opener.forIssuedPlan(issued, tx))).toEqual({ opened: 0, existing: 1251 });

    clock.set('2026-12-31T16:59:00.000Z'); // 23:59 on 31/12 in Vietnam: still 2026
    expect(await opener.openNewCycles()).toBe(0);
    clock.set('2026-12-31T17:00:00.000Z'); // 00:00 on 1/1/2027 in Vietnam
    // Recurring tasks 1 (80 agencies), 2 (gated, 90) and 6 (90) get their 2027 cycle.
    expect(await opener.openNewCycles()).toBe(80 + 90 + 90);
    expect(await opener.openNewCycles()).toBe(0);
    const { rows } = await db.query<{ cycle: string; due: string }>(
      `SELECT data->>'cycle' AS cycle, data->>'dueBefore' AS due FROM es_events WHERE data->>'taskNumber' = '1' AND data->>'agencyId' = 'son-la.cong-an-tinh' ORDER BY 1`,
    );
    expect(rows).toEqual([{ cycle: '2026', due: '2026-11-15' }, { cycle: '2027', due: '2027-11-15' }]);
  });

  it('applies an amendment by its diff: new pairs open, dropped ones are cancelled, changed ones change, all once', async () => {
    const db = new PgDatabase(database.current.pool);
    const store = new PostgresEventStore(db);
    const opener = new OpenPlanCases(store, new ManualClock('2026-05-01T03:00:00.000Z'));
    const planId = '0190a1b2-0000-7000-8000-000000000002';
    const content = issuedSeed('son-la-plan.txt');
    await db.transaction((tx) => opener.forIssuedPlan(anEnvelope({ type: 'PlanIssued', data: { planId, planVersion: 1, content }, metadata: aMetadata() }), tx));
    const amended = {
      ...content,
      tasks: content.tasks
        .filter((t) => t.number !== '5')
        .map((t) =>
          t.number === '4.a'
            ? { ...t, title: `${t.title} (sửa đổi)` }
            : t.number === '1'
              ? { ...t, coordinators: [...t.coordinators, { name: 'Sở Y tế', agencyId: 'son-la.so-y-te', group: false }] }
              : t,
        ),
    };
    const event = anEnvelope({
      type: 'PlanAmended',
      data: { planId, planVersion: 2, reason: 'Bỏ nhiệm vụ 5', content: amended, diff: { added: [], removed: ['5'], changed: [], fields: [] } },
      metadata: aMetadata(),
    });
    expect(await db.transaction((tx) => opener.forAmendedPlan(event, tx))).toEqual({ opened: 1, cancelled: 90, changed: 90 });
    expect(await db.transaction((tx) => opener.forAmendedPlan(event, tx))).toEqual({ opened: 0, cancelled: 0, changed: 0 });
    const { rows } = await db.query<{ type: string; n: string }>(
      `SELECT event_type AS type, count(*) AS n FROM es_events WHERE data->>'planId' = $1 OR stream_id IN (
         SELECT stream_id FROM es_events WHERE data->>'planId' = $1) GROUP BY 1 ORDER BY 1`,
      [planId],
    );
    expect(rows).toEqual([
      { type: 'AssignmentCancelled', n: '90' },
      { type: 'AssignmentChanged', n: '90' },
      { type: 'AssignmentOpened', n: '1252' },
    ]);
  });
});
