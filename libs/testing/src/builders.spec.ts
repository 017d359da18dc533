import { DomainEvent, EventSourcedAggregate, RuleViolationError } from '@thihanh/domain';
import { given } from './builders';

type CaseEvent = DomainEvent<'CaseOpened', { agency: string }> | DomainEvent<'CaseAcknowledged', { focalPoint: string }>;

/** A tiny aggregate, only to show the helper at work. */
class Case extends EventSourcedAggregate<CaseEvent> {
  acknowledged = false;

  acknowledge(focalPoint: string): void {
    if (this.acknowledged) throw new RuleViolationError('CASE.ALREADY_ACKNOWLEDGED', 'Already acknowledged');
    this.raise({ type: 'CaseAcknowledged', data: { focalPoint } });
  }

  protected apply(event: CaseEvent): void {
    if (event.type === 'CaseAcknowledged') this.acknowledged = true;
  }
}

describe('given/when/then for aggregates', () => {
  const opened: CaseEvent = { type: 'CaseOpened', data: { agency: 'son-la.so-tu-phap' } };

  it('checks the events a decision raises', () => {
    const aggregate = given(new Case('c1'), [opened])
      .when((c) => c.acknowledge('Lò Văn B'))
      .then([{ type: 'CaseAcknowledged', data: { focalPoint: 'Lò Văn B' } }]);
    expect(aggregate.version).toBe(1);
    expect(aggregate.currentVersion).toBe(2);
  });

  it('checks the error code of a refused decision, and that nothing was raised', () => {
    const error = given(new Case('c2'), [opened, { type: 'CaseAcknowledged', data: { focalPoint: 'A' } }])
      .when((c) => c.acknowledge('B'))
      .thenFails('CASE.ALREADY_ACKNOWLEDGED');
    expect(error.kind).toBe('rule');
  });
});
