import type { Party } from '@thihanh/contracts';
import type { AgencyResolver } from './agency-resolver';
import { fold, trimEnd } from './vietnamese-text';

export type Role = 'lead' | 'implementers' | 'coordinators';

export interface PartyProblem {
  code: 'AGENCY_UNKNOWN' | 'AGENCY_AMBIGUOUS';
  message: string;
}

export interface PartyList {
  lead: Party[];
  implementers: Party[];
  coordinators: Party[];
  problems: PartyProblem[];
}

interface Token {
  text: string;
  folded: string;
  start: number;
  end: number;
}

const LONGEST_NAME_IN_TOKENS = 20;
/** Words that start an agency's name: after "và" they start the next party, not the same name. */
const NAME_HEADS =
  /^(so|ban|bo|uy|ubnd|cong|cac|van|bao|dai|trung|hoi|vien|truong|chi|cuc|phong|thanh|kho|ngan|toa|lien|tinh|doan|hdnd)$/;

function tokenize(segment: string): Token[] {
  const tokens: Token[] = [];
  const folded = fold(segment);
  for (const m of segment.matchAll(/,|[^\s,]+/g)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    tokens.push({ text: m[0], folded: folded.slice(start, end).replace(/[.;:]+$/, ''), start, end });
  }
  return tokens;
}

const isSeparator = (t: Token | undefined) => !!t && (t.text === ',' || t.folded === 'va' || t.folded === 'cung');

/** Index just past "phối hợp (với)" or "chủ trì, phối hợp với" starting at i, or -1. */
function coordinationAt(tokens: Token[], i: number): number {
  let j = i;
  if (tokens[j]?.folded === 'chu' && tokens[j + 1]?.folded === 'tri') j += tokens[j + 2]?.text === ',' ? 3 : 2;
  if (tokens[j]?.folded !== 'phoi' || tokens[j + 1]?.folded !== 'hop') return -1;
  j += 2;
  if (tokens[j]?.folded === 'voi') j += 1;
  return j;
}

/**
 * Reads the agencies of one role field: "Sở Tư pháp; Sở Văn hóa, Thể thao và Du lịch; Ủy ban nhân
 * dân các xã, phường và các cơ quan báo chí ...". Splits on ";" first, then on "," and "và" only
 * between names: at each position the longest run of words the resolver knows is one party, so
 * known names keep their commas. In prose ("Công an tỉnh tiến hành rà soát ...; các sở, ban, ngành;
 * UBND các xã, phường rà soát ...") the names leading each clause are the parties and the rest is
 * skipped; "X phối hợp (với) Y, Z" makes Y and Z coordinators.
 */
export function parsePartyList(input: string, role: Role, resolver: AgencyResolver): PartyList {
  const text = input.normalize('NFC');
  const list: PartyList = { lead: [], implementers: [], coordinators: [], problems: [] };
  const none = /^(khong|khong co|-)?$/.test(fold(trimEnd(text)).trim());
  if (none) return list;

  for (const segment of text.split(';')) {
    const tokens = tokenize(segment);
    let current: Role = role;
    let p = 0;
    while (p < tokens.length) {
      if (isSeparator(tokens[p])) {
        p += 1;
        continue;
      }
      if (current !== 'coordinators') {
        const after = coordinationAt(tokens, p);
        if (after >= 0) {
          current = 'coordinators';
          p = after;
          continue;
        }
      }
      const known = longestKnownName(segment, tokens, p, resolver);
      const end = known ? known.end : unknownNameEnd(tokens, p);
      const name = trimEnd(segment.slice(tokens[p].start, tokens[end - 1].end));
      if (name) list[current].push(toParty(name, known?.answer ?? null, list.problems));
      p = end;
      if (p < tokens.length && !isSeparator(tokens[p]) && coordinationAt(tokens, p) < 0) {
        // Prose follows the name: skip it, unless it goes on to name coordinators.
        const next = tokens.findIndex((_, i) => i > p && current !== 'coordinators' && coordinationAt(tokens, i) >= 0);
        if (next < 0) break;
        p = next;
      }
    }
  }
  return list;
}

type Answer = ReturnType<AgencyResolver['resolve']>;

function longestKnownName(segment: string, tokens: Token[], p: number, resolver: AgencyResolver) {
  for (let end = Math.min(tokens.length, p + LONGEST_NAME_IN_TOKENS); end > p; end -= 1) {
    if (isSeparator(tokens[end - 1])) continue;
    const candidate = trimEnd(segment.slice(tokens[p].start, tokens[end - 1].end));
    if (!candidate) continue;
    const answer = resolver.resolve(candidate);
    if (answer) return { end, answer };
  }
  return null;
}

/** An unknown name runs to the next "," or "và" that starts another name. */
function unknownNameEnd(tokens: Token[], p: number): number {
  let end = p + 1;
  while (end < tokens.length) {
    if (isSeparator(tokens[end])) {
      const next = tokens[end + 1];
      const continues =
        next !== undefined &&
        !isSeparator(next) &&
        (tokens[end].text === ','
          ? /^\p{Ll}/u.test(next.text) && next.folded !== 'cac'
          : !NAME_HEADS.test(next.folded));
      if (!continues) break;
    }
    end += 1;
  }
  return end;
}

function toParty(name: string, answer: Answer, problems: PartyProblem[]): Party {
  if (answer && 'agencyId' in answer) return { name, agencyId: answer.agencyId, group: answer.group };
  if (answer) {
    problems.push({
      code: 'AGENCY_AMBIGUOUS',
      message: `"${name}" could be any of ${answer.ambiguous.join(', ')}`,
    });
  } else {
    problems.push({ code: 'AGENCY_UNKNOWN', message: `No agency id for "${name}"` });
  }
  return { name, agencyId: null, group: false };
}
