/**
 * Draws the cards' Mermaid sequence diagrams as plain SVG, so the offline report needs no Mermaid
 * library: one column per participant with a lifeline, one row per message (arrow and text), notes as
 * boxes. It reads only the subset study/sequence.ts writes (participant, A->>B, A-->>B, Note over A).
 */
import { escapeHtml } from './markdown.ts';

const COL = 190;
const LINE = 14;
const CHARS = 44;

interface Row {
  kind: 'msg' | 'reply' | 'note';
  from: number;
  to: number;
  lines: string[];
}

function wrapText(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split('<br/>')) {
    let line = '';
    for (const w of part.split(' ')) {
      if (line && line.length + 1 + w.length > CHARS) {
        out.push(line);
        line = w;
      } else line = line ? `${line} ${w}` : w;
    }
    out.push(line);
  }
  return out;
}

export function sequenceSvg(src: string): string {
  const ids: string[] = [];
  const labels: string[] = [];
  const rows: Row[] = [];
  for (const raw of src.split('\n')) {
    const l = raw.trim();
    let m = /^participant (\S+) as (.+)$/.exec(l);
    if (m) {
      ids.push(m[1]);
      labels.push(m[2]);
      continue;
    }
    m = /^Note over (\S+?): (.*)$/.exec(l);
    if (m) {
      const at = ids.indexOf(m[1]);
      rows.push({ kind: 'note', from: at, to: at, lines: wrapText(m[2]) });
      continue;
    }
    m = /^(\S+?)(-->>|->>)(\S+?): (.*)$/.exec(l);
    if (m)
      rows.push({
        kind: m[2] === '-->>' ? 'reply' : 'msg',
        from: ids.indexOf(m[1]),
        to: ids.indexOf(m[3]),
        lines: wrapText(m[4]),
      });
  }
  const width = Math.max(ids.length, 1) * COL + 40;
  const x = (i: number) => 20 + COL / 2 + i * COL;
  const parts: string[] = [];
  let y = 50;
  for (const r of rows) {
    const h = r.lines.length * LINE + 14;
    if (r.kind === 'note') {
      const cx = x(r.from);
      const w = COL - 14;
      parts.push(`<rect class="sq-note" x="${cx - w / 2}" y="${y}" width="${w}" height="${h - 4}" rx="3"/>`);
      r.lines.forEach((t, k) => {
        parts.push(
          `<text class="sq-t" x="${cx}" y="${y + 14 + k * LINE}" text-anchor="middle">${escapeHtml(t)}</text>`,
        );
      });
    } else if (r.from === r.to) {
      const cx = x(r.from);
      r.lines.forEach((t, k) => {
        parts.push(`<text class="sq-t" x="${cx + 8}" y="${y + 12 + k * LINE}">${escapeHtml(t)}</text>`);
      });
      const yy = y + h - 6;
      parts.push(`<path class="sq-a" d="M${cx} ${yy - 8} h-14 v8 h12" marker-end="url(#sq-arrow)"/>`);
    } else {
      const a = x(r.from);
      const b = x(r.to);
      const mid = (a + b) / 2;
      r.lines.forEach((t, k) => {
        parts.push(
          `<text class="sq-t" x="${mid}" y="${y + 12 + k * LINE}" text-anchor="middle">${escapeHtml(t)}</text>`,
        );
      });
      const yy = y + h - 4;
      parts.push(
        `<line class="sq-a${r.kind === 'reply' ? ' sq-reply' : ''}" x1="${a}" y1="${yy}" x2="${b + (b > a ? -4 : 4)}" y2="${yy}" marker-end="url(#sq-arrow)"/>`,
      );
    }
    y += h + 6;
  }
  const height = y + 10;
  const heads = ids
    .map(
      (_, i) =>
        `<rect class="sq-p" x="${x(i) - COL / 2 + 8}" y="8" width="${COL - 16}" height="26" rx="4"/><text class="sq-pt" x="${x(i)}" y="26" text-anchor="middle">${escapeHtml(labels[i])}</text><line class="sq-life" x1="${x(i)}" y1="34" x2="${x(i)}" y2="${height}"/>`,
    )
    .join('');
  return `<svg class="sequence" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="sequence diagram"><defs><marker id="sq-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>${heads}${parts.join('')}</svg>`;
}
