import { PlanAmendedV1, PlanClosedV1, PlanDraftRevisedV1, PlanDraftedV1, PlanIssuedV1 } from '@thihanh/contracts';
import { DomainEvent } from '@thihanh/domain';

export type PlanEvent =
  | DomainEvent<'PlanDrafted', PlanDraftedV1>
  | DomainEvent<'PlanDraftRevised', PlanDraftRevisedV1>
  | DomainEvent<'PlanIssued', PlanIssuedV1>
  | DomainEvent<'PlanAmended', PlanAmendedV1>
  | DomainEvent<'PlanClosed', PlanClosedV1>;

export const PLAN_STREAM_TYPE = 'plan';

/** Stored type names and their schema versions; upcasters go here when a payload evolves. */
export const PLAN_EVENT_DEFINITIONS: { type: PlanEvent['type']; schemaVersion: number }[] = [
  { type: 'PlanDrafted', schemaVersion: 1 },
  { type: 'PlanDraftRevised', schemaVersion: 1 },
  { type: 'PlanIssued', schemaVersion: 1 },
  { type: 'PlanAmended', schemaVersion: 1 },
  { type: 'PlanClosed', schemaVersion: 1 },
];
