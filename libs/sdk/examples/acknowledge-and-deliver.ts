import { TaskAssignmentDeliverableDto, ThihanhClient } from '../src';

/**
 * Takes a case up (names the agency's focal point) and hands in the work. The Idempotency-Key makes a
 * retry of the submission — after a timeout, say — safe: it never records the deliverable twice.
 */
export async function acknowledgeAndDeliver(thihanh: ThihanhClient, assignmentId: string, deliverable: TaskAssignmentDeliverableDto, idempotencyKey?: string) {
  await thihanh.taskAssignment.assignment.acknowledge({ id: assignmentId, body: { focalPoint: { name: 'Lò Văn B', title: 'Chuyên viên', email: 'lvb@stp.sonla.gov.vn' } } });
  return thihanh.taskAssignment.assignment.deliver<{ status: string; deliverableId: string; version: number }>({ id: assignmentId, body: deliverable, idempotencyKey });
}
