/**
 * Events of the decree-consultation service that other services consume
 * (topic `thihanh.decree-consultation.events.v1`).
 */

/** The ministry's request (or an operator) fixed when the province's comments are due. */
export interface ConsultationDeadlineSetV1 {
  consultationId: string;
  /** The plan task the consultation comes from (e.g. task "4.a"), when it comes from one. */
  planId: string | null;
  taskNumber: string | null;
  /** Comments are due before this day begins, Vietnam time (YYYY-MM-DD). */
  deadline: string;
  source: 'ministry-request' | 'operator';
}

/** The province's consolidated response was sent (document number and date). */
export interface ConsultationResponseSubmittedV1 {
  consultationId: string;
  planId: string | null;
  taskNumber: string | null;
  leadAgencyId: string;
  document: { title: string; number: string; date: string; sha256?: string; link?: string };
  submittedAt: string;
}
