import { Party, PlanContent, PlanTask } from '@thihanh/contracts';
import { derivedId } from '@thihanh/domain';
import { nameKey } from '@thihanh/plan-document';
import { ConsultationOpening } from './consultation.aggregate';

/** Document types a province is asked to comment on, as plans name them. */
const DOCUMENT_TYPES = ['Nghị định', 'Nghị quyết', 'Quyết định', 'Thông tư', 'Luật'];

const key = (text: string) => ` ${nameKey(text)} `;
const ASKED_TO_COMMENT = ['tham gia ý kiến', 'góp ý', 'cho ý kiến'].map(nameKey);
const DRAFTED = DOCUMENT_TYPES.flatMap((type) => ['dự thảo', 'xây dựng'].map((verb) => ({ type, words: key(`${verb} ${type}`) })));
const TITLE = new RegExp(`(${DOCUMENT_TYPES.join('|')})\\b.*$`, 'iu');

/** A consultation's id: the same plan task always gives the same one, so redelivered events open nothing twice. */
export const consultationIdOf = (planId: string, taskNumber: string) => derivedId('consultation', planId, taskNumber);

/**
 * The plan's tasks that ask the province to comment on a named draft: a leaf task whose title names a
 * drafted document ("dự thảo Nghị định …", "xây dựng Quyết định …") and which, itself or its parent,
 * asks for comments ("tham gia ý kiến", "góp ý"). "dự thảo các văn bản …" names no document: not one.
 */
export function consultationTasks(content: PlanContent): { task: PlanTask; type: string; title: string }[] {
  const parents = new Set(content.tasks.map((t) => t.parent).filter((p): p is string => p !== null));
  const byNumber = new Map(content.tasks.map((t) => [t.number, t]));
  const found: { task: PlanTask; type: string; title: string }[] = [];
  for (const task of content.tasks) {
    if (parents.has(task.number)) continue;
    const title = key(task.title);
    const drafted = DRAFTED.find((d) => title.includes(d.words));
    if (!drafted) continue;
    const context = title + key(task.parent ? byNumber.get(task.parent)?.title ?? '' : '');
    if (!ASKED_TO_COMMENT.some((words) => context.includes(words))) continue;
    const named = TITLE.exec(task.title.normalize('NFC'));
    found.push({ task, type: drafted.type, title: named ? capitalise(named[0].trim()) : task.title });
  }
  return found;
}

const capitalise = (text: string) => text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);

const agenciesOf = (parties: Party[]): string[] =>
  parties.flatMap((p) => (p.group ? (p.members ?? []) : p.agencyId ? [p.agencyId] : []));

/** "… trong phạm vi quản lý của Bộ Quốc phòng": that ministry drafts it. Otherwise its request will say. */
function draftingMinistryOf(title: string): string | null {
  const m = /phạm vi quản lý của (Bộ [\p{L} ]+?)\s*[.,;]?$/u.exec(title.normalize('NFC').trim());
  return m ? m[1] : null;
}

/**
 * The consultations an issued (or amended) plan calls for: one per consultation task, led by its lead
 * agency (else its first implementer), with every other responsible agency — groups expanded to the
 * members the plan carried — asked to comment.
 */
export function planConsultations(planId: string, planVersion: number, content: PlanContent): (ConsultationOpening & { consultationId: string })[] {
  return consultationTasks(content).flatMap(({ task, type, title }) => {
    const leadAgencyId = agenciesOf(task.lead)[0] ?? agenciesOf(task.implementers)[0];
    if (!leadAgencyId) return [];
    const others = [...agenciesOf(task.lead), ...agenciesOf(task.implementers), ...agenciesOf(task.coordinators)];
    const timeline = task.timeline;
    return [{
      consultationId: consultationIdOf(planId, task.number),
      planId,
      planVersion,
      taskNumber: task.number,
      draft: { type, title },
      draftingMinistry: draftingMinistryOf(task.title),
      legalRefs: task.legalRefs,
      leadAgencyId,
      coordinatorAgencyIds: [...new Set(others)].filter((id) => id !== leadAgencyId),
      deadline: timeline?.kind === 'fixed' ? timeline.dueBefore : null,
      deadlineText: timeline?.text ?? null,
      source: 'plan' as const,
    }];
  });
}
