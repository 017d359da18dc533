import { EventSourcedAggregate } from '@thihanh/domain';
import { diffStates, stateOf } from './aggregate-state';

type Ev = { type: 'Named'; data: { name: string } } | { type: 'Tagged'; data: { tag: string } };

class Thing extends EventSourcedAggregate<Ev> {
  name = '';
  tags = new Set<string>();
  byName = new Map<string, number>();
  private cache: string | null = 'derived';
  protected apply(event: Ev): void {
    if (event.type === 'Named') {
      this.name = event.data.name;
      this.byName.set(event.data.name, (this.byName.get(event.data.name) ?? 0) + 1);
    } else this.tags.add(event.data.tag);
    this.cache = null;
  }
}

describe('an aggregate’s state for auditors', () => {
  it('is its fields as plain JSON, without the base class’s bookkeeping or what is omitted', () => {
    const thing = new Thing('t1').rehydrate([{ type: 'Tagged', data: { tag: 'b' } }, { type: 'Named', data: { name: 'Sở Tư pháp' } }, { type: 'Tagged', data: { tag: 'a' } }]);
    expect(stateOf(thing, ['cache'])).toEqual({ id: 't1', name: 'Sở Tư pháp', tags: ['a', 'b'], byName: { 'Sở Tư pháp': 1 } });
  });

  it('differs leaf by leaf between two instants', () => {
    expect(diffStates({ status: 'open', comments: { k1: { decision: null, text: 'x' } }, ids: ['a'] }, { status: 'responded', comments: { k1: { decision: 'accepted', text: 'x' } }, ids: ['a', 'b'], extra: 1 })).toEqual([
      { path: 'comments.k1.decision', before: null, after: 'accepted' },
      { path: 'extra', before: null, after: 1 },
      { path: 'ids', before: ['a'], after: ['a', 'b'] },
      { path: 'status', before: 'open', after: 'responded' },
    ]);
  });
});
