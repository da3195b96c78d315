/** The report's own renderers: Markdown subset and sequence diagrams drawn as SVG. */
import { expect, test } from 'vitest';
import { markdownToHtml } from '../../study/markdown.ts';
import { sequenceDiagram } from '../../study/sequence.ts';
import { sequenceSvg } from '../../study/sequenceSvg.ts';
import { tell } from '../../study/story.ts';

test('markdown: headings, code, quotes, lists, inline marks; HTML is escaped', () => {
  const html = markdownToHtml('# T <x>\n\n> **b** `c<d`\n\n- one\n- *two*\n\n```sh\na < b\n```\n[x](y.md)');
  expect(html).toContain('<h2>T &lt;x&gt;</h2>');
  expect(html).toContain('<blockquote><p><strong>b</strong> <code>c&lt;d</code></p></blockquote>');
  expect(html).toContain('<ul><li>one</li><li><em>two</em></li></ul>');
  expect(html).toContain('<pre><code class="lang-sh">a &lt; b</code></pre>');
  expect(html).toContain('<a href="#card-y">x</a>');
});

test('the sequence diagram sends commands to the leader and assignments to agents', () => {
  const story = tell(
    'docker swarm init --hostname manager-1\ndocker swarm join --hostname worker-1 --token worker\ndocker service create --name web --constraint node.role==worker nginx:1.25',
  );
  const mmd = sequenceDiagram(story);
  expect(mmd).toContain('participant A3 as agent worker-1');
  expect(mmd).toMatch(/user->>M1: service create --name web/);
  expect(mmd).toMatch(/M1->>A3: scheduler: web\.1 \(t\d+\) pending → assigned on worker-1/);
  expect(mmd).toMatch(
    /A3->>M1: web\.1 \(t\d+\) assigned → accepted → preparing → ready → starting → running/,
  );
  const svg = sequenceSvg(mmd);
  expect(svg.match(/class="sq-pt"/g)?.length).toBe(3);
  expect(svg).toContain('agent worker-1');
});
