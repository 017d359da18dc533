import { GENESIS_HASH, chainHash, contentDigest, decodePositions, encodePositions } from './hashing';

const fields = {
  streamId: 'plan-1',
  streamType: 'plan',
  eventId: '01a2128f-e6f0-7977-b4be-b5202b0ac2d2',
  eventType: 'PlanIssued',
  schemaVersion: '1',
  recordedAtMicros: '1780000000000000',
  dataText: '{"number":"123/KH-UBND"}',
  metadataText: '{"actor":{"agencyId":"son-la.ubnd-tinh","clientId":"c"}}',
};

describe('event hashing', () => {
  it('changes the digest when any field changes, even by moving bytes between fields', () => {
    const base = contentDigest(fields);
    expect(contentDigest({ ...fields, dataText: '{"number":"124/KH-UBND"}' })).not.toEqual(base);
    expect(contentDigest({ ...fields, streamId: 'plan-1p', streamType: 'lan' })).not.toEqual(base);
    expect(contentDigest({ ...fields })).toEqual(base);
  });

  it('binds the stream version and the previous hash into the chain link', () => {
    const digest = contentDigest(fields);
    const link = chainHash(GENESIS_HASH, 1, digest);
    expect(chainHash(GENESIS_HASH, 2, digest)).not.toEqual(link);
    expect(chainHash(link, 1, digest)).not.toEqual(link);
    expect(link).toHaveLength(32);
  });

  it('encodes sealed positions as ranges and back', () => {
    const positions = [7, 1, 2, 3, 5, 8, 10, 11];
    expect(encodePositions(positions)).toBe('1-3,5,7-8,10-11');
    expect(decodePositions('1-3,5,7-8,10-11')).toEqual([1, 2, 3, 5, 7, 8, 10, 11]);
    expect(decodePositions('')).toEqual([]);
  });
});
