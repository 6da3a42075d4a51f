import { describe, expect, it } from 'vitest';
import { fakeEngine, OID } from './fake-engine.test-kit';
import { createHistoryStore } from './history';

const person = { name: 'a', email: 'a@x', time: '2026-01-01T00:00:00Z', timezone: '+0000' };
const commit = (n: number) => ({
  hash: n.toString(16).padStart(40, '0'),
  message: `commit ${n}\n`,
  author: person,
  committer: person,
  time: person.time,
  parents: [],
  tree: OID('e'),
});

describe('history store', () => {
  it('pages through the log and skips commits already listed', async () => {
    let total = 5;
    const engine = fakeEngine({
      'repos.log': ({ limit, skip }) => {
        const all = Array.from({ length: total }, (_, i) => commit(total - i));
        const page = all.slice(Number(skip), Number(skip) + Number(limit));
        return { commits: page, count: page.length, more: Number(skip) + Number(limit) < all.length };
      },
    });
    const store = createHistoryStore(engine.link, 2);
    await store.getState().load('app');
    expect(store.getState().commits.map((c) => c.message.trim())).toEqual(['commit 5', 'commit 4']);
    expect(store.getState().more).toBe(true);

    total = 6; // a commit lands between pages: the next page starts one commit earlier
    await store.getState().loadMore();
    expect(store.getState().commits.map((c) => c.message.trim())).toEqual(['commit 5', 'commit 4', 'commit 3']);
  });

  it('shows the selected commit and ignores an answer for one no longer selected', async () => {
    let answer: (() => void) | undefined;
    const engine = fakeEngine({
      'repos.log': () => ({ commits: [commit(1), commit(2)], count: 2, more: false }),
      'repos.show': ({ rev }) =>
        new Promise((resolve) => {
          const detail = {
            ...commit(rev === commit(1).hash ? 1 : 2),
            files: [],
            additions: 0,
            deletions: 0,
            patch: '',
          };
          if (rev === commit(1).hash) answer = () => resolve(detail);
          else resolve(detail);
        }),
    });
    const store = createHistoryStore(engine.link);
    await store.getState().load('app');
    const slow = store.getState().select(commit(1).hash);
    await store.getState().select(commit(2).hash);
    answer?.();
    await slow;
    expect(store.getState().detail?.hash).toBe(commit(2).hash);
  });
});
