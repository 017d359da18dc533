import { addAgency } from '@thihanh/agency-directory';
import { EmbeddedPostgres, EVENT_STORE_MIGRATIONS, PostgresEventStore, runMigrations } from '@thihanh/event-store';
import { BackgroundWorkers } from '@thihanh/platform';
import { aMetadata } from '@thihanh/testing';
import { AgencyDirectoryService } from './agency-directory.service';

describe('the agency directory inside a command’s unit of work', () => {
  let embedded: EmbeddedPostgres;
  beforeAll(async () => {
    embedded = await EmbeddedPostgres.open();
  }, 60_000);
  afterAll(async () => embedded?.close());

  const agency = (id: string) => ({ agency: { id, officialName: `Trường ${id}`, aliases: [], kind: 'public-service-unit' as const, province: 'son-la', parentId: 'son-la.ubnd-tinh' } });

  it('keeps nothing of a change whose command rolled back, and takes in a change once committed', async () => {
    const db = embedded.forService('plan_registry');
    await runMigrations(db, EVENT_STORE_MIGRATIONS);
    const directory = new AgencyDirectoryService(new PostgresEventStore(db), { poke: () => undefined } as unknown as BackgroundWorkers);
    await directory.onApplicationBootstrap();
    const seeded = (await directory.current(), directory.streamVersion);

    // The command appends, then fails (say, its answer could not be kept): the unit rolls back.
    await expect(
      db.unitOfWork(async () => {
        const { version } = await directory.change((d) => addAgency(d, agency('son-la.truong-a')), aMetadata());
        expect(version).toBe(seeded + 1);
        expect((await directory.current()).find('son-la.truong-a')).toBeDefined(); // the command sees its own change
        throw new Error('the answer could not be kept');
      }),
    ).rejects.toThrow('the answer could not be kept');
    expect((await directory.current()).find('son-la.truong-a')).toBeUndefined();
    expect(directory.streamVersion).toBe(seeded);

    // The retry runs against the directory as stored: no 409, no "already exists".
    await db.unitOfWork(() => directory.change((d) => addAgency(d, agency('son-la.truong-a')), aMetadata()));
    expect((await directory.current()).find('son-la.truong-a')).toBeDefined();
    expect(directory.streamVersion).toBe(seeded + 1);
  });
});
