/**
 * Markup in a corpus is text, never code: in a .txt the KWIC line carries the literal characters (the
 * renderer escapes them; the engine hands over text, not HTML); in an .html page scripts, styles and
 * event-handler attributes are dropped, and entity-encoded markup comes back as literal characters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedCorpus } from '../../app/indexing/open.js';
import { kwicPage } from '../../app/query/kwic.js';
import { open, removeDir, tempDir, writeFiles } from './support.js';

const TXT = 'Before <script>alert("txt")</script> and <img src=x onerror="alert(1)"> after. Also javascript:alert(2) here.\n';
const HTML = `<!doctype html><html><head><title>A <b>title</b></title><script>var marker = "inscript"</script>
<style>body { background: url("javascript:alert(3)") } .instyle {}</style></head>
<body onload="alert('body')"><p>The word shown &lt;script&gt;alert("escaped")&lt;/script&gt; stays text.</p>
<p><img src=x onerror="alert('img')">Pictured bureaucracy.</p><noscript>innoscript</noscript>
<svg><script>alert('svg')</script><text>insvg</text></svg><iframe src="javascript:alert(4)">iniframe</iframe>
<a href="javascript:alert(5)">a link</a></body></html>`;

let dir: string;
let cache: string;
let opened: OpenedCorpus;
beforeAll(async () => {
  dir = tempDir('hostile');
  cache = tempDir('hostile-cache');
  writeFiles(dir, { 'plain.txt': TXT, 'page.html': HTML });
  opened = await open([dir], cache);
});
afterAll(() => {
  removeDir(dir);
  removeDir(cache);
});

const docText = (name: string) => opened.index.docs.find((d) => d.name === name)!.text;

describe('hostile content', () => {
  it('in a .txt, KWIC lines hold the literal characters, sliced from the text as written', () => {
    const text = docText('plain.txt');
    expect(text).toBe(TXT);
    for (const q of ['script', 'onerror', 'alert']) {
      const page = kwicPage(opened.index, { query: q, limit: 100 });
      const lines = page.lines.filter((l) => l.docName === 'plain.txt');
      // Free-standing occurrences only (`javascript` is not `script`).
      expect(lines.length).toBe(TXT.match(new RegExp(`(?<!\\w)${q}(?!\\w)`, 'g'))!.length);
      for (const l of lines) {
        expect(l.node).toBe(q);
        expect(l.left + l.node + l.right).toBe(text.slice(l.start - l.left.length, l.end + l.right.length));
      }
    }
    const line = kwicPage(opened.index, { query: 'onerror', context: 5 }).lines.find((l) => l.docName === 'plain.txt')!;
    expect(line.left).toContain('<img');
    expect(line.right).toContain('="alert(');
  });

  it('in .html, script/style/noscript/svg/iframe content and attributes are gone; escaped markup is literal text', () => {
    const text = docText('page.html');
    for (const gone of [
      'inscript',
      'instyle',
      'innoscript',
      'insvg',
      'iniframe',
      'onload',
      'onerror',
      'javascript',
      "alert('",
      'alert(3',
      'marker',
    ])
      expect(text).not.toContain(gone);
    expect(text).toContain('<script>alert("escaped")</script>');
    expect(text).toContain('Pictured bureaucracy.');
    expect(opened.index.docs.find((d) => d.name === 'page.html')!.title).toBe('A <b>title</b>');
    const line = kwicPage(opened.index, { query: 'escaped', context: 3 }).lines[0]!;
    expect(line.docName).toBe('page.html');
    expect(line.left).toContain('<script>alert("');
  });
});
