import { agencyDisplayName } from '@thihanh/agency-directory';
import { COMMENT_DECISIONS, CommentDecision } from '@thihanh/contracts';
import { describeAnchor } from '@thihanh/legal-document';
import { OfficialDocument } from '@thihanh/official-document';
import { Consultation, ConsultationComment } from './consultation.aggregate';

const DECISION_WORDS: Record<CommentDecision, string> = {
  accepted: 'Tiếp thu',
  'partly-accepted': 'Tiếp thu một phần',
  'not-accepted': 'Không tiếp thu',
};

export const agencyName = (agencyId: string) => agencyDisplayName(agencyId);

/** Places in document order: general comments first, then by article, clause and point. */
const placeOrder = (c: ConsultationComment): string =>
  c.anchor === null ? '' : c.anchor.replace(/\d+/g, (n) => n.padStart(4, '0'));

/**
 * The consolidated response as an official letter (công văn) in the layout of Decree 30/2020/NĐ-CP:
 * the lead's text, then the table of comments with what was done with each (bảng tổng hợp, tiếp
 * thu, giải trình), and the agencies that answered "không có ý kiến". `number` and `date` are the
 * document's once it is issued; without them the layout leaves the blanks a draft has.
 */
export function responseDocument(consultation: Consultation, issue: { number: string | null; date: string | null }): OfficialDocument {
  const response = consultation.response;
  if (!response) throw new Error(`Consultation ${consultation.id} has no response drafted`);
  const comments = consultation.activeComments
    .filter((c) => c.kind === 'comment')
    .sort((a, b) => placeOrder(a).localeCompare(placeOrder(b)) || a.at.localeCompare(b.at));
  const silent = consultation.activeComments.filter((c) => c.kind === 'no-comment').map((c) => agencyName(c.agencyId));
  const unanswered = consultation.answers().filter((a) => a.answer === 'none').map((a) => agencyName(a.agencyId));
  const draft = consultation.drafts.at(-1);
  const counts = COMMENT_DECISIONS.map((d) => `${DECISION_WORDS[d].toLowerCase()} ${comments.filter((c) => c.decision?.decision === d).length}`).join(', ');
  return {
    kind: 'letter',
    parentAuthority: response.parentAuthority,
    issuer: response.issuer,
    number: issue.number,
    symbol: response.symbol,
    place: response.place,
    date: issue.date,
    summary: response.summary,
    addressees: response.addressees,
    body: [
      { kind: 'paragraph', text: response.body },
      { kind: 'heading', text: `Tổng hợp ý kiến góp ý dự thảo ${consultation.draft.type}${draft ? ` (dự thảo lần ${draft.draftVersion})` : ''}`, level: 2 },
      {
        kind: 'paragraph',
        text:
          `${consultation.coordinatorAgencyIds.length} cơ quan được đề nghị góp ý; ${comments.length} ý kiến góp ý (${counts}); ` +
          `${silent.length} cơ quan không có ý kiến; ${unanswered.length} cơ quan chưa có ý kiến.`,
      },
      {
        kind: 'table',
        caption: 'Bảng tổng hợp, tiếp thu, giải trình ý kiến góp ý',
        header: ['STT', 'Vị trí', 'Cơ quan góp ý', 'Nội dung góp ý', 'Tiếp thu, giải trình'],
        widths: [8, 14, 19, 31, 28],
        rows: comments.map((c, i) => [
          String(i + 1),
          c.anchor === null ? 'Ý kiến chung' : describeAnchor(c.anchor),
          agencyName(c.agencyId),
          c.text,
          c.decision ? [DECISION_WORDS[c.decision.decision], c.decision.reason].filter(Boolean).join(': ') : '',
        ]),
      },
      ...(silent.length ? [{ kind: 'paragraph' as const, text: `Các cơ quan không có ý kiến: ${silent.join('; ')}.` }] : []),
    ],
    recipients: response.recipients,
    signer: { authority: response.signer.authority, title: response.signer.title, name: response.signer.name },
  };
}
