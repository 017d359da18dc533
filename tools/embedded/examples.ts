import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const EXAMPLES = [
  { file: 'son-la-plan.txt', number: '215/KH-UBND', issuedOn: '2026-04-20' },
  { file: 'bac-ninh-plan.txt', number: '125/KH-UBND', issuedOn: '2026-04-20' },
];

/**
 * On a first start, the two real plans the system was built from are imported and issued through the
 * plan registry's API (as an operator would), so there is something to look at. Once: a marker in
 * the data folder remembers it, whatever was done with them since.
 */
export async function loadExamples(dataDir: string, registry: string, operatorToken: string): Promise<string[]> {
  const marker = path.join(dataDir, 'examples-loaded');
  if (dataDir !== ':memory:' && existsSync(marker)) return [];
  const loaded: string[] = [];
  for (const example of EXAMPLES) {
    const form = new FormData();
    const text = readFileSync(path.join(__dirname, '../../test/fixtures/plans', example.file));
    form.append('file', new Blob([text], { type: 'text/plain' }), example.file);
    const auth = { authorization: `Bearer ${operatorToken}` };
    const imported = await fetch(`${registry}/plans/import`, { method: 'POST', headers: auth, body: form });
    if (!imported.ok) throw new Error(`Importing ${example.file}: ${imported.status} ${await imported.text()}`);
    const { planId } = (await imported.json()) as { planId: string };
    const issued = await fetch(`${registry}/plans/${planId}/issue`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ number: example.number, issuedOn: example.issuedOn }),
    });
    if (!issued.ok) throw new Error(`Issuing ${example.file}: ${issued.status} ${await issued.text()}`);
    loaded.push(`${example.number} (${planId})`);
  }
  if (dataDir !== ':memory:') writeFileSync(marker, `${new Date().toISOString()}\n`);
  return loaded;
}
