import type { Party } from '@thihanh/contracts';
import { AgencyResolver, PROVINCES, StandardNamesResolver } from './agency-resolver';
import { splitDeliverables } from './deliverables';
import { parseLegalRefs } from './legal-refs';
import { parsePartyList, Role } from './party-list';
import type {
  ParsedLegalBasis,
  ParsedPlan,
  ParsedReportingRule,
  ParsedTask,
  Problem,
  ProblemCode,
  UnparsedLine,
} from './plan-document';
import { parseReportingRules } from './reporting';
import { isoDate, parseTimeline } from './timeline';
import { cleanText, fold, plainKey, slugOf, stripEmphasis, trimEnd } from './vietnamese-text';

export interface ParseOptions {
  /** Agencies by name, for the province found in the text. Default: the standard names only. */
  resolverFor?: (province: string | null) => AgencyResolver;
}

type Field = Role | 'timeline' | 'deliverables' | 'content' | 'title' | 'number' | 'note';
type SectionKind = 'aims' | 'tasks' | 'funding' | 'organization' | 'other';
type Zone = 'header' | 'title' | 'preamble' | 'body' | 'closing' | 'appendix';

interface Line {
  no: number;
  /** NFC, as in the file: tabs and runs of spaces still separate the columns of a header. */
  raw: string;
  /** NFC, trimmed, emphasis markers and inline footnote marks removed. */
  text: string;
  folded: string;
}

interface Value {
  text: string;
  line: number;
}

interface TaskDraft {
  number: string;
  parent: string | null;
  title: string;
  line: number;
  content: Value[];
  fields: Partial<Record<Field, Value[]>>;
  last: { field: Field; value: Value } | null;
}

interface Section {
  kind: SectionKind;
  heading: string;
  /** In "MỤC ĐÍCH, YÊU CẦU": which of the two the current paragraphs belong to. */
  sub: 'purpose' | 'requirements' | null;
}

interface Paragraph {
  text: string;
  /** Where each joined line starts in `text`. */
  starts: { offset: number; line: number }[];
}

const ROMAN_HEADING = /^((?:X{0,3})(?:IX|IV|V?I{0,3}))\s*[.)]\s+(\S.*)$/;
const FOOTNOTE = /^([\u00b9\u00b2\u00b3\u2070-\u2079]+)\s*(.*)$/;
const VIETNAMESE_LETTERS = 'a b c d đ e g h i k l m n o p q r s t u v x y'.split(' ');

/** Reads a plan document's text (.txt, or the text of a .docx) into a draft plan. */
export function parsePlan(input: string, options: ParseOptions = {}): ParsedPlan {
  return new PlanReader(input, options).read();
}

class PlanReader {
  private readonly lines: Line[];
  private readonly resolver: AgencyResolver;
  private readonly plan: ParsedPlan;
  private readonly tasks: TaskDraft[] = [];
  private zone: Zone = 'header';
  private section: Section | null = null;
  private paragraphs: Record<'purpose' | 'requirements' | 'funding' | 'organization' | 'other', Paragraph[]> = {
    purpose: [],
    requirements: [],
    funding: [],
    organization: [],
    other: [],
  };
  private issuerLines: string[] = [];
  private titleLines: string[] = [];
  private preamble: Paragraph[] = [];
  private lastPreamble: Paragraph | null = null;
  private approvedBy: Paragraph | null = null;
  /** "..., Chủ tịch Ủy ban nhân dân tỉnh ban hành Kế hoạch ..." */
  private issuerInPreamble: string | null = null;
  private table: { columns: (Field | null)[]; group: string | null; lastNumber: string | null } | null = null;
  private closing: 'recipients' | null = null;
  private signerTitle: string[] = [];
  private otherLines: { line: Line; heading: string }[] = [];
  private issuerOfApproval: string | null = null;

  constructor(input: string, options: ParseOptions) {
    this.lines = cleanText(input)
      .split('\n')
      .map((raw, i) => {
        const text = stripEmphasis(raw)
          .replace(/(?<=\S)[\u00b9\u00b2\u00b3\u2070-\u2079]+/g, '')
          .replace(/\s+/g, ' ')
          .trim();
        return { no: i + 1, raw, text, folded: fold(text) };
      });
    const province = this.detectProvince();
    this.resolver = remembered((options.resolverFor ?? ((p) => new StandardNamesResolver(p)))(province));
    this.plan = {
      province,
      number: null,
      title: '',
      issuer: null,
      issuerAgencyId: null,
      place: null,
      issuedOn: null,
      approvedBy: null,
      legalBasis: [],
      purpose: null,
      requirements: null,
      funding: null,
      organization: null,
      reporting: [],
      coordinatorAgencyId: null,
      recipients: [],
      signer: null,
      footnotes: [],
      tasks: [],
      unparsed: [],
      problems: [],
    };
    if (!province) this.problem('PROVINCE_UNKNOWN', null, 'No "tỉnh <name>" of a known province in the document: agency ids need one');
  }

  read(): ParsedPlan {
    for (const line of this.lines) this.readLine(line);
    this.finish();
    return this.plan;
  }

  // ---- lines -------------------------------------------------------------------------------------

  private readLine(line: Line): void {
    if (!line.text) {
      if (this.zone === 'title' && this.titleLines.length) this.zone = 'preamble';
      return;
    }
    const footnote = FOOTNOTE.exec(line.text);
    if (footnote) return this.footnote(footnote[1], footnote[2], line);
    if (this.zone !== 'header' && /^phu luc\b/.test(line.folded)) {
      this.zone = 'appendix';
      this.table = null;
      return;
    }
    if (this.zone === 'header' || this.zone === 'title' || this.zone === 'preamble') {
      if (this.isRomanHeading(line) || (this.isTableRow(line) && this.tableHeader(cellsOf(line.text)))) {
        this.zone = 'body';
      } else if (this.zone === 'header') {
        return this.headerLine(line);
      } else if (this.zone === 'title') {
        return this.titleLine(line);
      } else {
        return this.preambleLine(line);
      }
    }
    if (this.zone === 'appendix') return this.appendixLine(line);
    if (this.zone === 'closing') return this.closingLine(line);
    this.bodyLine(line);
  }

  /** Header lines hold two columns: as table cells, or side by side after tabs or runs of spaces. */
  private headerLine(line: Line): void {
    const cells = this.isTableRow(line) ? cellsOf(line.raw).flatMap((c) => c.split(/\s*;\s*/)) : line.raw.split(/\t|\s{3,}/);
    for (const cell of cells) this.headerPiece(stripEmphasis(cell).replace(/\s+/g, ' ').trim(), line);
  }

  private headerPiece(piece: string, line: Line): void {
    if (!piece) return;
    const folded = fold(piece);
    const motto = /cong hoa xa hoi chu nghia viet nam|doc lap\s*-\s*tu do\s*-\s*hanh phuc/.exec(folded);
    if (motto) {
      this.headerPiece(piece.slice(0, motto.index).trim(), line);
      this.headerPiece(piece.slice(motto.index + motto[0].length).trim(), line);
      return;
    }
    const number = /^(so\s*:\s*)(\S*)\s*/.exec(folded);
    if (number) {
      this.plan.number = documentNumber(piece.slice(number[1].length, number[1].length + number[2].length), true);
      this.headerPiece(piece.slice(number[0].length), line);
    } else if (this.placeAndDate(piece, line.no) || /^[-_=*.\s]+$/.test(piece)) {
      return;
    } else if (/^ke hoach\b/.test(folded) && piece.slice(0, 8) === piece.slice(0, 8).toUpperCase()) {
      this.zone = 'title';
      const rest = trimEnd(piece.slice('KẾ HOẠCH'.length).replace(/^\s*:/, ''));
      if (rest) this.titleLines.push(rest);
    } else if (piece === piece.toUpperCase() && /\p{Lu}/u.test(piece)) {
      this.issuerLines.push(piece);
    } else {
      this.unparsed(line, 'not a header line the importer knows');
    }
  }

  private titleLine(line: Line): void {
    if (/^\(?\s*kem theo\b|^(can cu|thuc hien)\b/.test(line.folded)) {
      this.zone = 'preamble';
      return this.preambleLine(line);
    }
    this.titleLines.push(line.text);
  }

  private preambleLine(line: Line): void {
    if (this.placeAndDate(line.text, line.no)) return;
    const last = this.lastPreamble;
    const open = last && last === this.approvedBy && !last.text.includes(')');
    if (last && (open || continues(last.text, line.text))) return appendTo(last, line);
    const paragraph = { text: line.text, starts: [{ offset: 0, line: line.no }] };
    if (/^\(?\s*kem theo\b/.test(line.folded)) {
      this.approvedBy = this.lastPreamble = paragraph;
    } else if (/^(can cu|thuc hien)\b/.test(line.folded)) {
      this.preamble.push(paragraph);
      this.lastPreamble = paragraph;
    } else if (this.issuerClause(line.text)) {
      this.lastPreamble = null;
    } else {
      this.unparsed(line, 'not a legal basis or part of the title');
    }
  }

  private bodyLine(line: Line): void {
    const heading = this.isRomanHeading(line);
    if (heading) return this.startSection(heading);
    if (/^noi nhan\s*:?/.test(line.folded)) {
      this.zone = 'closing';
      return this.closingLine(line);
    }
    if (this.isTableRow(line)) return this.tableRow(line);
    this.table = null;
    if (!this.section) return this.unparsed(line, 'before the first section');
    if (this.section.kind === 'tasks') this.taskLine(line);
    else this.narrativeLine(line, this.section);
    if (/\.\/\.$/.test(line.text)) this.zone = 'closing';
  }

  private startSection(heading: { numeral: string; title: string }): void {
    const t = fold(heading.title);
    const kind: SectionKind = /muc dich|yeu cau/.test(t)
      ? 'aims'
      : /noi dung|nhiem vu/.test(t)
        ? 'tasks'
        : /kinh phi/.test(t)
          ? 'funding'
          : /to chuc thuc hien|trach nhiem/.test(t)
            ? 'organization'
            : 'other';
    const sub = kind === 'aims' ? (/^muc dich/.test(t) ? 'purpose' : 'requirements') : null;
    this.section = { kind, heading: `${heading.numeral}. ${heading.title}`, sub };
    this.table = null;
  }

  private narrativeLine(line: Line, section: Section): void {
    if (section.kind === 'aims') {
      const sub = /^(?:\d+\s*[.)]\s*)?(muc dich|yeu cau)\s*:?$/.exec(line.folded);
      if (sub) {
        section.sub = sub[1] === 'muc dich' ? 'purpose' : 'requirements';
        return;
      }
    }
    const target = section.kind === 'aims' ? this.paragraphs[section.sub ?? 'purpose'] : this.paragraphs[section.kind as 'funding'];
    const last = target.at(-1);
    if (last && continues(last.text, line.text)) appendTo(last, line);
    else target.push({ text: line.text, starts: [{ offset: 0, line: line.no }] });
    if (section.kind === 'other') this.otherLines.push({ line, heading: section.heading });
  }

  // ---- tasks -------------------------------------------------------------------------------------

  private taskLine(line: Line): void {
    let rest = line.text.replace(/^(?:[-–—•+*]\s*)+/, '');
    const numbered = /^(\d{1,2}(?:\.\d{1,2})*)(?:[.)]\s*|\s+)(?=\S)(.*)$/.exec(rest);
    const lettered = numbered ? null : /^([a-zđ])[).]\s+(\S.*)$/u.exec(rest);
    if (numbered) rest = numbered[2];
    if (lettered) rest = lettered[2];
    const label = /^([^:]{2,60}?)\s*:\s*(.*)$/.exec(rest);
    const field = label ? fieldOfLabel(label[1]) : null;
    const current = this.tasks.at(-1);

    if (field && label) {
      if (!current) return this.unparsed(line, 'a task field before the first task');
      return this.addField(current, field, { text: label[2], line: line.no });
    }
    if (numbered && (numbered[1].includes('.') || /^\d+[.)]/.test(line.text.replace(/^(?:[-–—•+*]\s*)+/, '')))) {
      const number = numbered[1];
      const parent = number.includes('.') ? number.slice(0, number.lastIndexOf('.')) : null;
      this.addTask(number, parent, rest, line.no);
      return;
    }
    if (lettered) {
      const parent = this.tasks.filter((t) => !/\.[a-zđ]$/u.test(t.number)).at(-1);
      if (!parent) return this.unparsed(line, 'a sub-task before the first task');
      this.addTask(`${parent.number}.${lettered[1]}`, parent.number, rest, line.no);
      return;
    }
    if (!current) return this.unparsed(line, 'text before the first task');
    const last = current.last;
    const value = { text: line.text, line: line.no };
    if (last && /^\p{Ll}/u.test(line.text) && !/[.;]$/.test(last.value.text)) {
      last.value.text = `${last.value.text} ${line.text}`;
    } else if (!last && !current.content.length && /^\p{Ll}/u.test(line.text)) {
      current.title = `${current.title} ${line.text}`;
    } else {
      current.content.push(value);
      current.last = null;
    }
  }

  private addTask(number: string, parent: string | null, title: string, line: number): TaskDraft {
    if (this.tasks.some((t) => t.number === number)) {
      this.problem('TASK_DUPLICATE', line, `Task ${number} appears twice`);
    }
    const task: TaskDraft = { number, parent, title: trimEnd(title), line, content: [], fields: {}, last: null };
    this.tasks.push(task);
    return task;
  }

  private addField(task: TaskDraft, field: Field, value: Value): void {
    if (field === 'content') {
      task.content.push(value);
    } else {
      (task.fields[field] ??= []).push(value);
    }
    task.last = { field, value };
  }

  // ---- tables ------------------------------------------------------------------------------------

  private isTableRow(line: Line): boolean {
    return (line.text.match(/\|/g)?.length ?? 0) >= 2 || /^\|.*\|$/.test(line.text);
  }

  private tableHeader(cells: string[]): (Field | null)[] | null {
    const columns = cells.map(columnOf);
    const hasNumber = columns.includes('number');
    const known = columns.filter((c) => c && c !== 'number').length;
    return hasNumber && known >= 2 ? columns : null;
  }

  private tableRow(line: Line): void {
    const cells = cellsOf(line.text);
    if (cells.every((c) => /^:?-{2,}:?$/.test(c) || !c)) return;
    const header = this.tableHeader(cells);
    if (header) {
      this.table = { columns: header, group: null, lastNumber: null };
      return;
    }
    if (!this.table) return this.unparsed(line, 'a table row outside a table of tasks');
    const row: Partial<Record<Field, string>> = {};
    this.table.columns.forEach((column, i) => {
      if (column && cells[i]) row[column] = row[column] ? `${row[column]}; ${cells[i]}` : cells[i];
    });
    const stt = (row.number ?? '').replace(/[.)]$/, '').trim();
    if (!stt) return this.unparsed(line, 'a table row without a number');
    let number: string;
    let parent: string | null;
    if (/^[IVX]+$/.test(stt)) {
      number = stt;
      parent = null;
      this.table.group = stt;
    } else if (/^[a-zđ]$/u.test(stt) && this.table.lastNumber) {
      number = `${this.table.lastNumber}.${stt}`;
      parent = this.table.lastNumber;
    } else if (/^\d+(?:\.\d+)*$/.test(stt)) {
      const local = stt.includes('.') ? stt.slice(0, stt.lastIndexOf('.')) : null;
      number = this.table.group ? `${this.table.group}.${stt}` : stt;
      parent = local ? (this.table.group ? `${this.table.group}.${local}` : local) : this.table.group;
      this.table.lastNumber = number;
    } else {
      return this.unparsed(line, `a table row numbered "${stt}"`);
    }
    const task = this.addTask(number, parent, row.title ?? row.content ?? '', line.no);
    for (const field of ['lead', 'implementers', 'coordinators', 'timeline', 'deliverables'] as const) {
      const text = row[field];
      if (text) this.addField(task, field, { text, line: line.no });
    }
    if (row.title && row.content) this.addField(task, 'content', { text: row.content, line: line.no });
    if (row.note) this.addField(task, 'content', { text: row.note, line: line.no });
    task.last = null;
  }

  private appendixLine(line: Line): void {
    if (this.isTableRow(line)) return this.tableRow(line);
    this.table = null;
    // The appendix's own title: "DANH MỤC NHIỆM VỤ ...", "(Kèm theo Kế hoạch số ...)".
    const heading = line.text === line.text.toUpperCase() || /^\(?\s*kem theo\b/.test(line.folded);
    if (!heading) this.unparsed(line, 'in an appendix, outside a table of tasks');
  }

  // ---- header, preamble, closing -----------------------------------------------------------------

  private placeAndDate(text: string, no: number): boolean {
    const m = /^([^,|]{2,40}),\s*ngay\s*(\d{1,2})?\s*thang\s*(\d{1,2})?\s*nam\s*(\d{4})?\s*$/.exec(fold(text));
    if (!m) return false;
    this.plan.place = text.slice(0, m[1].length).trim();
    if (m[2] && m[3] && m[4]) {
      this.plan.issuedOn = isoDate(Number(m[4]), Number(m[3]), Number(m[2]));
      if (!this.plan.issuedOn) this.problem('DATE_INVALID', no, `"${text}" is not a real date`);
    }
    return true;
  }

  /** "..., Chủ tịch Ủy ban nhân dân tỉnh ban hành Kế hoạch ..." names the issuer. */
  private issuerClause(text: string): boolean {
    const m = /(?:^|,\s*)((?:chu tich\s+)?(?:uy ban nhan dan|ubnd)[^,;]*?)\s+ban hanh ke hoach/.exec(fold(text));
    if (!m) return false;
    const start = m.index + m[0].indexOf(m[1]);
    this.issuerInPreamble ??= text.slice(start, start + m[1].length);
    return true;
  }

  private closingLine(line: Line): void {
    if (this.isTableRow(line)) {
      for (const cell of cellsOf(line.text).flatMap((c) => c.split(/\s*;\s*/)).filter(Boolean)) {
        this.closingPiece(cell, line);
      }
      return;
    }
    this.closingPiece(line.text, line);
  }

  private closingPiece(text: string, line: Line): void {
    const folded = fold(text);
    if (/^noi nhan\s*:?\s*/.test(folded)) {
      this.closing = 'recipients';
      const rest = trimEnd(text.replace(/^[^:]*:\s*/, ''));
      if (rest && /:/.test(text)) this.plan.recipients.push(...rest.split(/\s*;\s*/).map(trimEnd).filter(Boolean));
      return;
    }
    if (this.closing === 'recipients' && /^[-+•]/.test(text)) {
      this.plan.recipients.push(trimEnd(text.replace(/^[-+•]\s*/, '')));
      return;
    }
    if (/^\(?\s*da ky\b/.test(folded) || /^[-_=*.\s]+$/.test(text)) return;
    if (text === text.toUpperCase() && /\p{Lu}/u.test(text)) {
      this.closing = null;
      this.signerTitle.push(text);
      return;
    }
    if (this.signerTitle.length && !this.plan.signer && /^(\p{Lu}\p{Ll}*)(\s+\p{Lu}\p{Ll}*){1,5}$/u.test(text)) {
      this.plan.signer = { title: this.signerTitle.join(' '), name: text };
      return;
    }
    this.unparsed(line, 'after the end of the plan');
  }

  private footnote(mark: string, text: string, line: Line): void {
    this.plan.footnotes.push({ mark, text, line: line.no });
  }

  private isRomanHeading(line: Line): { numeral: string; title: string } | null {
    const m = ROMAN_HEADING.exec(line.text.replace(/^PHẦN\s+/i, ''));
    return m && m[1] ? { numeral: m[1], title: m[2] } : null;
  }

  // ---- finishing ---------------------------------------------------------------------------------

  private finish(): void {
    const plan = this.plan;
    plan.title = this.titleLines.join(' ').replace(/\s+/g, ' ').trim();
    this.readApproval();
    this.readLegalBasis();
    // The header's name of the body ("ỦY BAN NHÂN DÂN / TỈNH BẮC NINH") is the most formal; then
    // "... ban hành Kế hoạch"; then the decision the plan is attached to ("của Chủ tịch ...").
    plan.issuer = (this.issuerLines.length ? this.issuerLines.join(' ') : null) ?? this.issuerInPreamble ?? this.issuerOfApproval;
    if (plan.issuer) plan.issuerAgencyId = this.agencyIdOf(plan.issuer.replace(/^(?:tm|kt)\.\s*|^chủ tịch\s+/giu, ''));

    const joined = (ps: Paragraph[]) => (ps.length ? ps.map((p) => p.text).join('\n') : null);
    plan.purpose = joined(this.paragraphs.purpose);
    plan.requirements = joined(this.paragraphs.requirements);
    plan.funding = joined(this.paragraphs.funding);
    plan.organization = joined(this.paragraphs.organization);
    this.readReporting();

    plan.tasks = this.tasks.map((t) => this.finishTask(t));
    this.checkNumbering();
    if (!plan.tasks.length) this.problem('NO_TASKS', null, 'No tasks found: no "NỘI DUNG"/"NHIỆM VỤ" section or table of tasks');
    plan.unparsed.sort((a, b) => a.line - b.line);
  }

  private readApproval(): void {
    if (!this.approvedBy) return;
    const text = trimEnd(this.approvedBy.text.replace(/^\(\s*/, '').replace(/^kèm theo\s+/i, '').replace(/\)\s*$/, ''));
    this.plan.approvedBy = legalDocument(text);
    const by = / của (.+)$/u.exec(text);
    if (by) this.issuerOfApproval = trimEnd(by[1]);
  }

  private readLegalBasis(): void {
    for (const paragraph of this.preamble) {
      let text = paragraph.text.replace(/^(căn cứ|thực hiện)\s+/iu, '');
      this.issuerClause(text);
      const f = fold(text);
      const cut = [f.search(/\s*\(sau day/), f.search(/,\s*(?:chu tich\s+)?(?:uy ban nhan dan|ubnd)[^,;]*ban hanh ke hoach/)]
        .filter((i) => i >= 0)
        .sort((a, b) => a - b)[0];
      if (cut !== undefined) text = text.slice(0, cut);
      for (const part of text.split(';').map(trimEnd).filter(Boolean)) this.plan.legalBasis.push(legalDocument(part));
    }
    if (this.plan.legalBasis.length) return;
    // A plan attached to a decision may cite nothing itself: its basis is the law it implements.
    const law = /\bluat\s.+?(?=\s+tren dia ban|\s+nam \d{4}|$)/.exec(fold(this.plan.title));
    if (!law) return;
    const name = this.plan.title.slice(law.index, law.index + law[0].length);
    const whole = this.lines.map((l) => l.text).join('\n');
    const numbered = new RegExp(`${escapeRegExp(fold(name))}\\s+so\\s+(\\d+\\/\\S+?)(?=[\\s,;.()]|$)`).exec(fold(whole));
    const text = numbered ? whole.slice(numbered.index, numbered.index + numbered[0].length) : name;
    this.plan.legalBasis.push(legalDocument(text));
  }

  private readReporting(): void {
    const sources = [...this.paragraphs.organization, ...this.paragraphs.other];
    const reportingLines = new Set<number>();
    for (const paragraph of sources) {
      for (const rule of parseReportingRules(paragraph.text, this.resolver)) {
        const line = lineAt(paragraph, rule.offset);
        reportingLines.add(line);
        const { offset: _offset, ...fields } = rule;
        this.plan.reporting.push({ ...fields, line } satisfies ParsedReportingRule);
      }
      const giao = /(?:^|[.;]\s+|^\d+\.\s*)giao\s+/.exec(fold(paragraph.text));
      if (giao && !this.plan.coordinatorAgencyId) {
        const rest = paragraph.text.slice(giao.index + giao[0].length).split(';')[0];
        const first = parsePartyList(rest, 'lead', this.resolver).lead[0];
        this.plan.coordinatorAgencyId = first?.agencyId ?? null;
      }
    }
    for (const { line, heading } of this.otherLines) {
      if (!reportingLines.has(line.no)) this.unparsed(line, `in section "${heading}", which the importer does not read`);
    }
  }

  private finishTask(draft: TaskDraft): ParsedTask {
    const values = (field: Field) => draft.fields[field] ?? [];
    const parties: Record<Role, Party[]> = { lead: [], implementers: [], coordinators: [] };
    for (const role of ['lead', 'implementers', 'coordinators'] as const) {
      for (const value of values(role)) {
        const list = parsePartyList(value.text, role, this.resolver);
        for (const r of ['lead', 'implementers', 'coordinators'] as const) parties[r].push(...list[r]);
        for (const p of list.problems) this.problem(p.code, value.line, `Task ${draft.number}: ${p.message}`);
      }
    }
    let timeline: ParsedTask['timeline'] = null;
    const timelineValues = values('timeline');
    if (timelineValues.length) {
      const reading = parseTimeline(timelineValues.map((v) => v.text).join('; '));
      timeline = reading.timeline;
      for (const date of reading.invalidDates) {
        const line = timelineValues[0].line;
        this.problem('DATE_INVALID', line, `Task ${draft.number}: "${date}" is not a real date`);
        this.plan.unparsed.push({ line, text: this.lines[line - 1].text, reason: `"${date}" is not a real date` });
      }
    }
    const content = draft.content.map((v) => trimEnd(v.text)).join('\n');
    return {
      number: draft.number,
      parent: draft.parent,
      title: draft.title,
      content,
      lead: parties.lead,
      implementers: parties.implementers,
      coordinators: parties.coordinators,
      timeline,
      deliverables: values('deliverables').flatMap((v) => splitDeliverables(v.text)),
      legalRefs: parseLegalRefs(`${draft.title}\n${content}`),
      line: draft.line,
    };
  }

  private checkNumbering(): void {
    const byParent = new Map<string | null, ParsedTask[]>();
    for (const task of this.plan.tasks) byParent.set(task.parent, [...(byParent.get(task.parent) ?? []), task]);
    for (const siblings of byParent.values()) {
      siblings.forEach((task, i) => {
        if (i === 0) return;
        const prev = lastPart(siblings[i - 1].number);
        const own = lastPart(task.number);
        const expected = /^\d+$/.test(prev)
          ? String(Number(prev) + 1)
          : VIETNAMESE_LETTERS[VIETNAMESE_LETTERS.indexOf(prev) + 1];
        if (expected && /^(\d+|[a-zđ])$/u.test(own) && own !== expected && own !== prev) {
          this.problem('NUMBERING_GAP', task.line, `Task ${task.number} follows ${siblings[i - 1].number}: is ${expected} missing?`);
        }
      });
    }
  }

  // ---- small things ------------------------------------------------------------------------------

  private detectProvince(): string | null {
    const keys = PROVINCES.map((p) => ({ key: plainKey(p), slug: slugOf(p) }));
    const find = (words: string) => keys.find((k) => words === k.key || words.startsWith(`${k.key} `))?.slug ?? null;
    for (const line of this.lines) {
      for (const m of line.folded.matchAll(/\b(?:tinh|thanh pho)\s+([a-z]+(?:\s+[a-z]+){0,3})/g)) {
        const original = line.text.slice((m.index ?? 0) + m[0].length - m[1].length);
        if (!/^\p{Lu}/u.test(original)) continue;
        const slug = find(m[1]);
        if (slug) return slug;
      }
    }
    for (const line of this.lines) {
      const place = /^([^,|]{2,40}),\s*ngay\b/.exec(line.folded);
      const slug = place && find(place[1].trim());
      if (slug) return slug;
    }
    return null;
  }

  private agencyIdOf(name: string): string | null {
    const answer = this.resolver.resolve(name);
    return answer && 'agencyId' in answer ? answer.agencyId : null;
  }

  private unparsed(line: Line, reason: string): void {
    this.plan.unparsed.push({ line: line.no, text: line.text, reason } satisfies UnparsedLine);
  }

  private problem(code: ProblemCode, line: number | null, message: string): void {
    this.plan.problems.push({ code, line, message } satisfies Problem);
  }
}

// ---- free functions ------------------------------------------------------------------------------

/** Splitting a list asks about many candidate names, and plans repeat the same lists task after task. */
function remembered(resolver: AgencyResolver): AgencyResolver {
  const answers = new Map<string, ReturnType<AgencyResolver['resolve']>>();
  return {
    resolve(name) {
      if (!answers.has(name)) answers.set(name, resolver.resolve(name));
      return answers.get(name) ?? null;
    },
  };
}

function cellsOf(text: string): string[] {
  return text
    .replace(/^\s*\|/, '')
    .replace(/\|\s*$/, '')
    .split('|')
    .map((c) => c.trim());
}

/** A line continues the paragraph before it when that one has not ended and this one starts in lower case. */
function continues(previous: string, next: string): boolean {
  return !/[.;:!?]$/.test(previous) && /^\p{Ll}/u.test(next) && !/^[a-zđ][).]\s/u.test(next);
}

function appendTo(paragraph: Paragraph, line: Line): void {
  paragraph.starts.push({ offset: paragraph.text.length + 1, line: line.no });
  paragraph.text = `${paragraph.text} ${line.text}`;
}

function lineAt(paragraph: Paragraph, offset: number): number {
  return paragraph.starts.filter((s) => s.offset <= offset).at(-1)?.line ?? paragraph.starts[0].line;
}

/** "4.a" → "a", "12" → "12". */
function lastPart(number: string): string {
  return number.slice(number.lastIndexOf('.') + 1);
}

/** "Cơ quan chủ trì", "Đơn vị chủ trì", "Thời hạn hoàn thành", "Kết quả" ... → the field they introduce. */
export function fieldOfLabel(label: string): Field | null {
  const l = plainKey(label);
  if (!l || l.split(' ').length > 8) return null;
  if (/^noi dung\b/.test(l)) return 'content';
  if (/^(thoi gian|thoi han|tien do)\b/.test(l)) return 'timeline';
  if (/^(san pham|ket qua|hinh thuc san pham)\b/.test(l)) return 'deliverables';
  if (/^((co quan|don vi) )*chu tri\b|^(co quan|don vi)( (co quan|don vi))* chu tri\b/.test(l)) return 'lead';
  if (/^((co quan|don vi) )*phoi hop\b/.test(l)) return 'coordinators';
  if (/^((co quan|don vi|trach nhiem) )+thuc hien\b/.test(l)) return 'implementers';
  return null;
}

function columnOf(cell: string): Field | null {
  const c = plainKey(cell);
  if (/^(stt|tt|so tt|so thu tu)$/.test(c)) return 'number';
  if (/^(noi dung|nhiem vu|ten nhiem vu|noi dung nhiem vu|noi dung cong viec|cong viec)$/.test(c)) return 'title';
  if (/^ghi chu$/.test(c)) return 'note';
  return fieldOfLabel(cell);
}

/** "215/KH-UBND"; null for a blank number ("/KH-UBND", "  /QĐ-UBND"). */
function documentNumber(text: string, whole = false): string | null {
  const f = fold(text);
  const m = (whole ? /^\s*(\d+[^\s,;()]*\/[^\s,;()]+)/ : /\bso\s+(\d+[^\s,;()]*\/[^\s,;()]+)/).exec(f);
  if (!m) return null;
  const start = m.index + m[0].indexOf(m[1]);
  return trimEnd(text.slice(start, start + m[1].length));
}

function legalDocument(text: string): ParsedLegalBasis {
  const f = fold(text);
  const date = /ngay\s+(\d{1,2})\s*(?:\/|\s+thang\s+)(\d{1,2})\s*(?:\/|\s+nam\s+)(\d{4})/.exec(f);
  return {
    text,
    documentNumber: documentNumber(text),
    issuedOn: date ? isoDate(Number(date[3]), Number(date[2]), Number(date[1])) : null,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
