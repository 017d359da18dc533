import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  AGENCY_DIRECTORY_EVENT_TYPES,
  AgencyDirectoryEvent,
  Directory,
  DirectoryChange,
  seedDirectory,
} from '@thihanh/agency-directory';
import { EventMetadata, SYSTEM_ACTOR } from '@thihanh/contracts';
import { ConcurrencyError, uuidv7 } from '@thihanh/domain';
import { afterCommit, PostgresEventStore } from '@thihanh/event-store';
import { BackgroundWorkers, EVENT_STORE } from '@thihanh/platform';

/** The whole directory is one small stream (a few hundred agencies): one version guards every change. */
export const DIRECTORY_STREAM = 'agency-directory-main';
export const DIRECTORY_STREAM_TYPE = 'agency-directory';
export const DIRECTORY_EVENT_DEFINITIONS = AGENCY_DIRECTORY_EVENT_TYPES.map((type) => ({ type, schemaVersion: 1 }));

/**
 * Holds the agency directory in memory, rebuilt from its stream and brought up to date (new events
 * only) before each use, so several instances of the service agree. Changes are pure decisions from
 * @thihanh/agency-directory appended with the expected version.
 */
@Injectable()
export class AgencyDirectoryService implements OnApplicationBootstrap {
  private directory = Directory.empty();
  private version = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly workers: BackgroundWorkers,
  ) {}

  /** First start: the shipped directory (national bodies, Sơn La, Bắc Ninh) becomes the first events. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.store.streamVersion(DIRECTORY_STREAM)) > 0) return;
    const data = seedDirectory().data;
    const byDepth = [...data.agencies].sort((a, b) => depth(data.agencies, a.id) - depth(data.agencies, b.id));
    const events: AgencyDirectoryEvent[] = [
      ...data.provinces.map((province): AgencyDirectoryEvent => ({ type: 'ProvinceAdded', data: { province } })),
      ...byDepth.map((agency): AgencyDirectoryEvent => ({ type: 'AgencyAdded', data: { agency } })),
      ...data.groups.map((group): AgencyDirectoryEvent => ({ type: 'AgencyGroupAdded', data: { group } })),
    ];
    const id = uuidv7();
    try {
      await this.append(events, 0, { actor: SYSTEM_ACTOR, correlationId: id, causationId: id, reason: 'shipped directory data' });
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error; // another instance seeded it first
    }
  }

  async current(): Promise<Directory> {
    return (await this.read()).directory;
  }

  /** Decides on the current directory and records the outcome; a concurrent change is a 409. */
  async change<E extends AgencyDirectoryEvent>(
    decide: (directory: Directory) => DirectoryChange<E> | { events: E[] },
    metadata: EventMetadata,
  ): Promise<{ events: E[]; version: number }> {
    const { directory, version } = await this.read();
    const outcome = decide(directory);
    const events = 'event' in outcome ? [outcome.event] : outcome.events;
    if (events.length === 0) return { events, version };
    // The next read after the command commits takes the new events in.
    return { events, version: await this.append(events, version, metadata) };
  }

  /**
   * The directory with every event of its stream: the cached one and the events after it. Inside a
   * command's unit of work those may include the command's own, not committed yet, so the result is
   * cached only once the unit has committed (at once outside one): a command rolled back leaves
   * nothing behind.
   */
  private async read(): Promise<{ directory: Directory; version: number }> {
    const base = { directory: this.directory, version: this.version };
    const events = await this.store.readStream(DIRECTORY_STREAM, { afterVersion: base.version });
    if (events.length === 0) return base;
    const read = {
      directory: Directory.replay(base.directory.data, events.map((e) => ({ type: e.type, data: e.data }) as AgencyDirectoryEvent)),
      version: events[events.length - 1].streamVersion,
    };
    afterCommit(() => {
      if (read.version > this.version) ({ directory: this.directory, version: this.version } = read);
    });
    return read;
  }

  get streamVersion(): number {
    return this.version;
  }

  private async append(events: AgencyDirectoryEvent[], expectedVersion: number, metadata: EventMetadata): Promise<number> {
    const result = await this.store.append({
      streamId: DIRECTORY_STREAM,
      streamType: DIRECTORY_STREAM_TYPE,
      expectedVersion,
      events,
      metadata,
    });
    this.workers.poke();
    return result.nextVersion;
  }
}

function depth(agencies: readonly { id: string; parentId?: string }[], id: string): number {
  let n = 0;
  for (let a = agencies.find((x) => x.id === id); a?.parentId; a = agencies.find((x) => x.id === a!.parentId)) n += 1;
  return n;
}
