import { anEnvelope } from '@thihanh/testing';
import { EventTypeRegistry } from './event-type-registry';

describe('event type registry', () => {
  const registry = new EventTypeRegistry().register({
    type: 'AgencyRenamed',
    schemaVersion: 3,
    upcasters: {
      1: (d: { name: string }) => ({ newName: d.name }),
      2: (d: { newName: string }) => ({ newName: d.newName, keepOldAsAlias: true }),
    },
    create: (e) => ({ kind: 'renamed', ...(e.data as object) }),
  });

  it('upcasts stored data through every version to the current one', () => {
    const upcast = registry.upcast(anEnvelope({ type: 'AgencyRenamed', schemaVersion: 1, data: { name: 'Sở VHTTDL' } }));
    expect(upcast.schemaVersion).toBe(3);
    expect(upcast.data).toEqual({ newName: 'Sở VHTTDL', keepOldAsAlias: true });
  });

  it('builds objects by stored type name, never by class name', () => {
    expect(registry.create(anEnvelope({ type: 'AgencyRenamed', schemaVersion: 3, data: { newName: 'X', keepOldAsAlias: false } }))).toEqual({
      kind: 'renamed',
      newName: 'X',
      keepOldAsAlias: false,
    });
    expect(() => registry.create(anEnvelope({ type: 'Unknown' }))).toThrow('Unknown has no registered factory');
  });

  it('refuses a definition with a missing upcaster or a duplicate type', () => {
    expect(() => new EventTypeRegistry().register({ type: 'X', schemaVersion: 3, upcasters: { 1: (d) => d } })).toThrow('no upcaster from version 2');
    expect(() => registry.register({ type: 'AgencyRenamed', schemaVersion: 1 })).toThrow('registered twice');
  });
});
