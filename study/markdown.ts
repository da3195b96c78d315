/**
 * A tiny Markdown → HTML renderer for the cards (the subset the card generator writes): headings,
 * paragraphs, block quotes, fenced code, bullet and numbered lists, and inline code, bold, italic and
 * links. Mermaid blocks are handed to a callback (the report draws them itself). Everything is
 * escaped; no raw HTML passes through.
 */

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inline(s: string): string {
  // Split out code spans first so their contents stay literal.
  return s
    .split(/(`[^`]*`)/)
    .map((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length >= 2)
        return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\*([^*]+)\*/g, '<em>$1</em>')
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, t: string, u: string) => {
          const href = u.endsWith('.md') ? `#card-${u.slice(0, -3)}` : u;
          return `<a href="${href}">${t}</a>`;
        });
    })
    .join('');
}

export function markdownToHtml(md: string, mermaid: (src: string) => string = defaultMermaid): string {
  const lines = md.split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    const fence = /^```(\w*)\s*$/.exec(l);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^```\s*$/.test(lines[i])) body.push(lines[i++]);
      i++;
      if (fence[1] === 'mermaid') out.push(mermaid(body.join('\n')));
      else
        out.push(
          `<pre><code${fence[1] ? ` class="lang-${fence[1]}"` : ''}>${escapeHtml(body.join('\n'))}</code></pre>`,
        );
      continue;
    }
    const h = /^(#{1,4}) (.*)$/.exec(l);
    if (h) {
      out.push(`<h${h[1].length + 1}>${inline(h[2])}</h${h[1].length + 1}>`);
      i++;
      continue;
    }
    if (l.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i].startsWith('|')) {
        const cells = lines[i]
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((c) => c.trim().replace(/\\\|/g, '|'));
        if (!cells.every((c) => /^-+$/.test(c))) rows.push(cells);
        i++;
      }
      const [head, ...body] = rows;
      out.push(
        `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body
          .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
      continue;
    }
    if (l.startsWith('> ')) {
      const q: string[] = [];
      while (i < lines.length && lines[i].startsWith('> ')) q.push(lines[i++].slice(2));
      out.push(`<blockquote><p>${inline(q.join(' '))}</p></blockquote>`);
      continue;
    }
    const bullet = /^- (.*)$/.exec(l);
    const num = /^\d+\. (.*)$/.exec(l);
    if (bullet || num) {
      const tag = bullet ? 'ul' : 'ol';
      const re = bullet ? /^- (.*)$/ : /^\d+\. (.*)$/;
      const items: string[] = [];
      while (i < lines.length && re.test(lines[i])) items.push(re.exec(lines[i++])![1]);
      out.push(`<${tag}>${items.map((x) => `<li>${inline(x)}</li>`).join('')}</${tag}>`);
      continue;
    }
    if (l.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i].trim() !== '' && !/^(#|```|> |- |\d+\. |\|)/.test(lines[i]))
      para.push(lines[i++]);
    out.push(`<p>${inline(para.join(' '))}</p>`);
  }
  return out.join('\n');
}

function defaultMermaid(src: string): string {
  return `<pre class="mermaid-src"><code>${escapeHtml(src)}</code></pre>`;
}
