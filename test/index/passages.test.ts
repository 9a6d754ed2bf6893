/**
 * The passage index (FlexSearch over paragraphs) is built in slices by ready(), yielding between
 * them, so an engine keeps answering concordance requests while a large corpus's paragraphs are
 * indexed; it finds the same passages as a build in one go.
 */
import { describe, expect, it } from 'vitest';
import { buildIndexSync } from '../../app/indexing/build.js';
import { paragraphsOf, PassageSearch } from '../../app/index/passages.js';
import { brownTexts } from '../../scripts/brown.js';

const index = buildIndexSync(brownTexts(60).map((b) => ({ name: `${b.id}.txt`, path: `/brown/${b.id}.txt`, text: b.text })));

describe('passage search', () => {
  it('ready() yields to other work while it builds, and finds what a build in one go finds', async () => {
    const sliced = new PassageSearch(index);
    let othersRan = 0;
    let done = false;
    const building = sliced.ready().then(() => (done = true));
    // Work queued behind the build (as a concordance request would be) runs before it is finished.
    const other = () =>
      setImmediate(() => {
        if (done) return;
        othersRan++;
        other();
      });
    other();
    await building;
    expect(othersRan).toBeGreaterThan(1);
    const whole = new PassageSearch(index);
    // The same passages as an index built in one go. FlexSearch may order passages it scores equally
    // differently between two instances (seen once in CI), so every passage found is compared, as a set.
    const found = (p: PassageSearch, q: string) =>
      p
        .search(q, 100_000)
        .map((h) => h.paragraph)
        .sort((x, y) => x - y);
    for (const q of ['grand jury election', 'atlanta', 'the president said', 'nuclear weapons']) {
      const a = found(sliced, q);
      expect(a.length, q).toBeGreaterThan(0);
      expect(a, q).toEqual(found(whole, q));
    }
    // Every paragraph is in the index: the first words of the last paragraph find it.
    const paras = paragraphsOf(index);
    const last = paras.starts.length - 1;
    const words = whole
      .paragraphText(last)
      .text.split(/\s+/)
      .filter((w) => /^[a-z]{4,}$/i.test(w))
      .slice(0, 4)
      .join(' ');
    expect(sliced.search(words, 50).map((h) => h.paragraph)).toContain(last);
  });

  it('concurrent ready() calls share one build', async () => {
    const s = new PassageSearch(index);
    const a = s.ready();
    expect(s.ready()).toBe(a);
    await a;
  });
});
