import { AGENCY_DIRECTORY_EVENT_TYPES, seedDirectory } from '@thihanh/agency-directory';
import * as contracts from '@thihanh/contracts';
import { issuedSeed } from '@thihanh/fixtures';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SOURCE_EVENT_TYPES } from '../../services/reporting/src/read-models/source-read-models';
import * as ts from 'typescript';
import { catalogFiles, outOfDate, writeCatalog } from '../../tools/catalog/catalog-files';
import { readConsumers } from '../../tools/catalog/consumers';
import { Catalog, EventDoc, readCatalog } from '../../tools/catalog/event-catalog';
import { JsonSchema } from '../../tools/catalog/json-schema';
import { CATALOG_FILE } from '../../tools/catalog/markdown';
import { StaticValues } from '../../tools/catalog/static-values';

// The catalogue is generated from the contracts lib and the services' code; these tests are what
// keeps the committed copy equal to it, so a contract changed without `npm run catalog` fails CI.

let catalog: Catalog;
let files: Map<string, string>;

beforeAll(() => {
  catalog = readCatalog();
  files = catalogFiles(catalog);
}, 60_000);

const events = () => catalog.services.flatMap((s) => s.events);
const event = (type: string): EventDoc => {
  const found = events().find((e) => e.type === type);
  if (!found) throw new Error(`${type} is not in the catalogue`);
  return found;
};
const consumersOf = (type: string) => event(type).consumers.map((c) => c.service).sort();
const schemaOf = (type: string, version = 1): JsonSchema => JSON.parse(files.get(`docs/event-schemas/${type}.v${version}.json`)!);

describe('the event catalogue', () => {
  it('is committed exactly as the contracts and the services generate it now (npm run --silent catalog)', () => {
    expect(outOfDate(files)).toEqual([]);
  });

  it('lists every event of every *_EVENT_TYPES list once, with its section and its JSON Schema', () => {
    const lists = Object.entries(contracts)
      .filter(([name]) => name.endsWith('_EVENT_TYPES'))
      .map(([, list]) => list as readonly string[]);
    const expected = [...lists.flat(), ...AGENCY_DIRECTORY_EVENT_TYPES];
    expect(lists.length).toBeGreaterThanOrEqual(4);

    expect(events().map((e) => e.type).sort()).toEqual([...expected].sort());
    const markdown = files.get(CATALOG_FILE)!;
    for (const type of expected) {
      expect(markdown).toContain(`\n### ${type}\n`);
      expect(files.has(`docs/event-schemas/${type}.v1.json`)).toBe(true);
    }
  });

  it('names each event\'s producer, topic and schema version from the file and the payload type\'s suffix', () => {
    expect(event('PlanIssued')).toMatchObject({ producer: 'plan-registry', topic: 'thihanh.plan-registry.events.v1', payloads: [{ version: 1, typeName: 'PlanIssuedV1' }] });
    expect(event('AssignmentOpened')).toMatchObject({ producer: 'task-assignment', topic: contracts.TOPICS.taskAssignmentEvents });
    expect(event('ProvincialReportIssued')).toMatchObject({ producer: 'reporting', topic: contracts.TOPICS.reportingEvents });
    // The directory's events travel on plan-registry's topic, their payload in `data`.
    expect(event('AgencyRenamed')).toMatchObject({ producer: 'plan-registry', topic: contracts.TOPICS.planRegistryEvents, payloads: [{ version: 1, typeName: 'AgencyRenamed.data' }] });
  });

  it('describes each payload field with its type, whether it is required and its JSDoc', () => {
    const fields = event('ConsultationDeadlineSet').payloads[0].fields;
    expect(fields.find((f) => f.name === 'deadline')).toEqual({
      name: 'deadline',
      type: 'string',
      optional: false,
      doc: 'Comments are due before this day begins, Vietnam time (YYYY-MM-DD).',
      values: [],
    });
    expect(fields.find((f) => f.name === 'source')).toMatchObject({ type: 'DeadlineSource', values: ['plan', 'ministry-request', 'operator'] });
    expect(fields.find((f) => f.name === 'request')).toMatchObject({ optional: true });
    expect(fields.find((f) => f.name === 'request.ministry')).toMatchObject({ type: 'string', optional: true });
  });

  it('gives the types the payloads name a section of their own', () => {
    const names = catalog.types.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['Timeline', 'Party', 'PlanContent', 'PlanTask', 'CaseFigures', 'ReportedTask', 'Agency', 'GroupMembers']));
    expect(catalog.types.find((t) => t.name === 'CaseFigures')!.fields.map((f) => f.name)).toEqual([
      'total', 'doneOnTime', 'doneLate', 'openOnTime', 'openOverdue', 'waiting',
    ]);
    expect(files.get(CATALOG_FILE)).toContain('| `timeline` | [`Timeline`](#timeline) `\\| null` | yes |');
  });
});

describe('consumers, as read from the services', () => {
  it.each([
    ['PlanIssued', ['decree-consultation', 'reporting', 'task-assignment']],
    ['PlanAmended', ['decree-consultation', 'reporting', 'task-assignment']],
    ['ConsultationDeadlineSet', ['reporting', 'task-assignment']],
    ['ConsultationResponseSubmitted', ['reporting', 'task-assignment']],
    ['AssignmentOpened', ['reporting']],
    ['PlanDrafted', []],
    ['AssignmentDueSoon', []],
    ['AgencyAdded', []],
    ['ReportingRoundOpened', []],
  ])('%s is consumed by %j', (type, services) => {
    expect(consumersOf(type)).toEqual(services);
  });

  it('puts the consultation events task-assignment reads in its own consumer group', () => {
    expect(event('ConsultationDeadlineSet').consumers.find((c) => c.service === 'task-assignment')).toEqual({
      service: 'task-assignment',
      group: 'task-assignment.consultations',
      handler: 'ConsultationEventsConsumer',
      handlerFile: 'services/task-assignment/src/consultation-events.consumer.ts',
    });
  });

  it('reads reporting\'s table of the events it uses whole, as the running code sees it', () => {
    const reporting = catalog.consumers.find((c) => c.handler === 'SourceEventsConsumer')!;
    expect([...reporting.handles].sort()).toEqual([...SOURCE_EVENT_TYPES].sort());
  });

  it('could read every consumer\'s event types from its code, guessing none', () => {
    expect(catalog.consumers.flatMap((c) => c.doubts)).toEqual([]);
    expect(catalog.notes.filter((note) => !note.startsWith('No JSDoc'))).toEqual([]);
  });
});

describe('reading a consumer from its code', () => {
  const read = (handlers: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'thihanh-consumers-'));
    try {
      mkdirSync(join(dir, 'services/demo/src'), { recursive: true });
      const module = join(dir, 'services/demo/src/app.module.ts');
      writeFileSync(join(dir, 'services/demo/src/handlers.ts'), handlers);
      writeFileSync(
        module,
        `import { Picky, Wide, Tabled, Clever } from './handlers';
         const TOPIC = 'thihanh.plan-registry.events.v1';
         export const options = { service: 'demo', consumers: [
           { topics: [TOPIC], handler: Picky },
           { name: 'wide', topics: ['thihanh.decree-consultation.events.v1'], handler: Wide },
           { name: 'tabled', topics: [TOPIC], handler: Tabled },
           { name: 'clever', topics: [TOPIC], handler: Clever },
         ] };`,
      );
      const program = ts.createProgram([module], { strict: true, noEmit: true });
      return readConsumers(program, new StaticValues(program.getTypeChecker()), [module]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('reads switch cases, listed types and table keys, and names what it cannot read instead of guessing', () => {
    const consumers = read(`
      type E = { type: string };
      const LISTED = ['PlanClosed'] as const;
      const TABLE = { PlanDrafted: 1, ...{ PlanDraftRevised: 2 } };
      export class Picky {
        async handle(event: E) {
          switch (event.type) { case 'PlanIssued': case 'PlanAmended': return true; }
          return LISTED.includes(event.type as never);
        }
      }
      export class Wide { async handle(_event: E) { return true; } }
      export class Tabled { async handle(event: E) { return apply(event); } }
      function apply(e: E) { return TABLE[e.type as keyof typeof TABLE] !== undefined; }
      export class Clever { async handle(event: E) { return event.type.startsWith('Plan'); } }
    `);
    expect(consumers.map(({ group, handles }) => ({ group, handles }))).toEqual([
      { group: 'demo', handles: ['PlanIssued', 'PlanAmended', 'PlanClosed'] },
      { group: 'demo.wide', handles: [] },
      { group: 'demo.tabled', handles: ['PlanDrafted', 'PlanDraftRevised'] },
      { group: 'demo.clever', handles: [] },
    ]);
    expect(consumers.map((c) => c.topics)).toEqual([
      ['thihanh.plan-registry.events.v1'], ['thihanh.decree-consultation.events.v1'], ['thihanh.plan-registry.events.v1'], ['thihanh.plan-registry.events.v1'],
    ]);
    expect(consumers[0].doubts).toEqual([]);
    expect(consumers[1].doubts).toEqual(['Wide tests no event type: it may handle every event of its topics']);
    expect(consumers[3].doubts).toEqual([expect.stringMatching(/^event.type used in a way the catalogue does not read: `event.type.startsWith` \(.*handlers.ts:14\)$/)]);
  });
});

describe('the JSON Schemas', () => {
  it('are draft 2020-12, use only the keywords validated here, and every $ref names a $defs entry', () => {
    for (const [path, text] of files) {
      if (!path.endsWith('.json')) continue;
      const schema = JSON.parse(text) as JsonSchema;
      expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema['type']).toBe('object');
      const defs = (schema['$defs'] ?? {}) as Record<string, JsonSchema>;
      for (const node of schemaNodes(schema)) {
        for (const keyword of Object.keys(node)) expect(KEYWORDS).toContain(keyword);
        if (typeof node['$ref'] === 'string') expect(Object.keys(defs)).toContain(node['$ref'].replace('#/$defs/', ''));
      }
    }
  });

  it('accept an issued seed plan as PlanIssued and refuse it without its content', () => {
    const payload = { planId: 'son-la-2025', planVersion: 1, content: issuedSeed('son-la-plan.txt') };
    expect(validate(schemaOf('PlanIssued'), JSON.parse(JSON.stringify(payload)))).toEqual([]);
    expect(validate(schemaOf('PlanIssued'), { planId: 'son-la-2025', planVersion: 1 })).toEqual(['$: content is required']);
  });

  it('accept the seed directory as AgencyAdded and AgencyGroupAdded events', () => {
    const directory = seedDirectory();
    for (const agency of directory.agencies) expect(validate(schemaOf('AgencyAdded'), { agency })).toEqual([]);
    for (const group of directory.groups) expect(validate(schemaOf('AgencyGroupAdded'), { group })).toEqual([]);
  });

  it('hold an opened case to its literal values and its nullable fields', () => {
    const opened: contracts.AssignmentOpenedV1 = {
      assignmentId: 'a-1',
      planId: 'p-1',
      planVersion: 1,
      taskNumber: '4.a',
      taskTitle: 'Tuyên truyền',
      agencyId: 'son-la.so-tu-phap',
      role: 'lead',
      cycle: 'once',
      timeline: { kind: 'fixed', dueBefore: '2026-05-20', fromYear: null, dueMonthDay: null, text: 'trước ngày 20/5/2026' },
      dueBefore: '2026-05-20',
      status: 'assigned',
      leadAgencyIds: ['son-la.so-tu-phap'],
      planCoordinatorAgencyId: null,
      deliverablesExpected: [],
    };
    const schema = schemaOf('AssignmentOpened');
    expect(validate(schema, opened)).toEqual([]);
    expect(validate(schema, { ...opened, timeline: null })).toEqual([]);
    expect(validate(schema, { ...opened, status: 'accepted' })).toEqual(['$.status: "accepted" is not one of ["waiting","assigned"]']);
    expect(validate(schema, { ...opened, timeline: { ...opened.timeline!, kind: 'soon' } })).toEqual(['$.timeline: matches none of anyOf']);
    expect(validate(schema, { ...opened, leadAgencyIds: null })).toEqual(['$.leadAgencyIds: expected array']);
  });

  it('keep a request optional in ConsultationDeadlineSet and its deadline required', () => {
    const schema = schemaOf('ConsultationDeadlineSet');
    const set: contracts.ConsultationDeadlineSetV1 = { consultationId: 'c-1', planId: null, taskNumber: null, deadline: '2026-03-01', source: 'operator' };
    expect(validate(schema, set)).toEqual([]);
    expect(validate(schema, { ...set, source: 'ministry-request', request: { number: '12/BCA-V03', date: '2026-02-10', ministry: 'Bộ Công an' } })).toEqual([]);
    expect(validate(schema, { ...set, deadline: null })).toEqual(['$.deadline: expected string']);
  });
});

describe('npm run catalog -- --check', () => {
  it('names what is changed, missing or no longer generated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thihanh-catalog-'));
    try {
      writeCatalog(files, dir);
      expect(outOfDate(files, dir)).toEqual([]);
      writeFileSync(join(dir, CATALOG_FILE), 'edited by hand\n');
      rmSync(join(dir, 'docs/event-schemas/PlanIssued.v1.json'));
      writeFileSync(join(dir, 'docs/event-schemas/PlanPublished.v1.json'), '{}\n');
      expect(outOfDate(files, dir)).toEqual([
        'docs/event-catalog.md: out of date',
        'docs/event-schemas/PlanIssued.v1.json: missing',
        'docs/event-schemas/PlanPublished.v1.json: no longer generated',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The keywords the catalogue emits; `validate` below understands each of them. */
const KEYWORDS = [
  '$schema', '$id', '$comment', 'title', 'description', 'x-producer', 'x-topic', '$defs', '$ref',
  'type', 'properties', 'required', 'additionalProperties', 'items', 'prefixItems', 'minItems', 'maxItems', 'enum', 'const', 'anyOf',
];

/** Every schema object inside a schema (not the names under `properties` and `$defs`). */
function schemaNodes(schema: JsonSchema): JsonSchema[] {
  const children = (value: unknown): JsonSchema[] => (Array.isArray(value) ? value : value && typeof value === 'object' ? [value as JsonSchema] : []);
  return [
    schema,
    ...Object.values((schema['properties'] ?? {}) as Record<string, JsonSchema>).flatMap(schemaNodes),
    ...Object.values((schema['$defs'] ?? {}) as Record<string, JsonSchema>).flatMap(schemaNodes),
    ...['items', 'additionalProperties', 'anyOf', 'prefixItems'].flatMap((k) => children(schema[k]).flatMap(schemaNodes)),
  ];
}

/** A validator for the subset of draft 2020-12 the catalogue emits: a list of errors, empty when valid. */
function validate(schema: JsonSchema, value: unknown, root: JsonSchema = schema, path = '$'): string[] {
  if (typeof schema['$ref'] === 'string') {
    const defs = root['$defs'] as Record<string, JsonSchema>;
    return validate(defs[schema['$ref'].replace('#/$defs/', '')], value, root, path);
  }
  if (Array.isArray(schema['anyOf'])) {
    return (schema['anyOf'] as JsonSchema[]).some((option) => !validate(option, value, root, path).length) ? [] : [`${path}: matches none of anyOf`];
  }
  if (schema['type'] !== undefined) {
    const types = ([] as string[]).concat(schema['type'] as string | string[]);
    if (!types.some((type) => isOfType(type, value))) return [`${path}: expected ${types.join(' or ')}`];
  }
  const errors: string[] = [];
  if ('const' in schema && value !== schema['const']) errors.push(`${path}: ${JSON.stringify(value)} is not ${JSON.stringify(schema['const'])}`);
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema['enum'])}`);
  }
  if (Array.isArray(value)) {
    if (schema['items']) value.forEach((item, i) => errors.push(...validate(schema['items'] as JsonSchema, item, root, `${path}[${i}]`)));
    const prefix = (schema['prefixItems'] ?? []) as JsonSchema[];
    prefix.forEach((item, i) => errors.push(...validate(item, value[i], root, `${path}[${i}]`)));
    if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) errors.push(`${path}: too few items`);
    if (typeof schema['maxItems'] === 'number' && value.length > schema['maxItems']) errors.push(`${path}: too many items`);
  }
  if (isOfType('object', value)) {
    const object = value as Record<string, unknown>;
    const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema['required'] ?? []) as string[]) if (!(name in object)) errors.push(`${path}: ${name} is required`);
    for (const [name, item] of Object.entries(object)) {
      const property = properties[name] ?? (schema['additionalProperties'] as JsonSchema | undefined);
      if (property && item !== undefined) errors.push(...validate(property, item, root, `${path}.${name}`));
    }
  }
  return errors;
}

function isOfType(type: string, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}
