import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Directory, seedDirectory } from '@thihanh/agency-directory';
import { Party, PlanContent } from '@thihanh/contracts';
import { parsePlan } from '@thihanh/plan-document';

/** For tests: a seed plan as the plan registry issues it — parsed, groups carrying their members. */
export function issuedSeed(file: 'son-la-plan.txt' | 'bac-ninh-plan.txt', directory: Directory = seedDirectory()): PlanContent {
  const parsed = parsePlan(readFileSync(path.join(__dirname, '../../../test/fixtures/plans', file), 'utf8'));
  const party = (p: { name: string; agencyId: string | null; group: boolean }): Party =>
    p.group ? { ...p, members: directory.expand(p.agencyId!).map((a) => a.id) } : p;
  return {
    ...(parsed as unknown as PlanContent),
    tasks: parsed.tasks.map((t) => ({ ...t, lead: t.lead.map(party), implementers: t.implementers.map(party), coordinators: t.coordinators.map(party) })),
  };
}
