import { ThihanhClient } from '../src';

/** Comments on a draft decree the agency is asked about: on a place (`dieu-5.khoan-1`) or in general. */
export async function commentOnDraft(thihanh: ThihanhClient, taskNumber: string, text: string, anchor?: string) {
  const { items } = await thihanh.decreeConsultation.consultationBoard.list<{ items: { consultationId: string; taskNumber: string }[] }>();
  const consultation = items.find((c) => c.taskNumber === taskNumber);
  if (!consultation) throw new Error(`No consultation on task ${taskNumber} for this agency`);
  return thihanh.decreeConsultation.consultation.comment<{ commentId: string }>({ id: consultation.consultationId, body: { text, ...(anchor ? { anchor } : {}) } });
}
