/**
 * reports/index.html: one self-contained, offline page (no CDN, no external file): the state
 * diagrams as inline SVG, the quick property pass, the claims table (filterable by topic and
 * verdict), every card rendered from its Markdown with the sequence diagrams drawn as SVG, and the
 * drills, answerable by clicking. Deterministic: the same inputs give the same bytes.
 */
import type { Drill } from './drills.ts';
import type { ClaimResult, Tally } from './index.ts';
import { escapeHtml, markdownToHtml } from './markdown.ts';
import { sequenceSvg } from './sequenceSvg.ts';

export interface PropertyLine {
  name: string;
  verdict: 'pass' | 'fail' | 'pending';
  detail: string;
}

export interface ReportInput {
  diagrams: { name: string; svg: string }[];
  properties: PropertyLine[];
  results: ClaimResult[];
  tally: Tally;
  summary: string;
  cards: Map<string, string>;
  drills: Drill[];
}

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1b1f24;background:#fafafa}
header{background:#0b3d62;color:#fff;padding:18px 28px}header h1{margin:0;font-size:24px}header p{margin:4px 0 0;opacity:.85}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:8px 28px;z-index:2}nav a{margin-right:16px}
main{padding:0 28px 40px;max-width:1250px}section{margin-top:28px}h2{border-bottom:2px solid #0b3d62;padding-bottom:4px}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef2f6}.v-true{color:#176b2c;font-weight:600}.v-false{color:#b3261e;font-weight:600}.v-imprecise{color:#8a5a00;font-weight:600}.v-pending{color:#666;font-style:italic}
.pass{color:#176b2c;font-weight:600}.fail{color:#b3261e;font-weight:600}
.diagram{background:#fff;border:1px solid #ddd;margin:10px 0;padding:8px;overflow:auto}.diagram svg{max-width:100%;height:auto}
.card{background:#fff;border:1px solid #ccd;border-radius:6px;padding:4px 18px 12px;margin:16px 0}
.card h2{border:none;font-size:19px;margin-bottom:4px}.card h3{font-size:16px;margin-top:18px}.card h4{font-size:15px}
pre{background:#f3f4f6;padding:8px;overflow:auto;font-size:12.5px;line-height:1.35}code{font-family:ui-monospace,Menlo,Consolas,monospace}
blockquote{margin:8px 0;padding:6px 12px;border-left:4px solid #0b3d62;background:#eef4fa}
.seq{overflow:auto;border:1px solid #e3e3e3;background:#fff}.sq-p{fill:#e8eef5;stroke:#0b3d62}.sq-pt{font:600 12px system-ui,sans-serif}
.sq-life{stroke:#9aa;stroke-dasharray:4 3}.sq-t{font:11px ui-monospace,Menlo,monospace;fill:#222}.sq-a{stroke:#0b3d62;fill:none;stroke-width:1.3}
.sq-reply{stroke-dasharray:5 3}.sq-note{fill:#fff6d6;stroke:#c9a227}
details summary{cursor:pointer;color:#0b3d62}.filters select{margin-right:12px}
.drill{background:#fff;border:1px solid #ccd;border-radius:6px;padding:8px 18px;margin:14px 0}
.stmt{margin:8px 0;padding:6px 0;border-top:1px dashed #ddd}.stmt button{margin-left:8px;padding:2px 14px;cursor:pointer}
.stmt .explain{display:none;margin-top:4px}.stmt.answered .explain{display:block}.stmt.right .verdict{color:#176b2c}.stmt.wrong .verdict{color:#b3261e}
#score{font-weight:600}
`;

const JS = `
function filterClaims(){var t=document.getElementById('f-topic').value,v=document.getElementById('f-verdict').value;
document.querySelectorAll('#claims tbody tr').forEach(function(r){var ok=(!t||r.dataset.topic===t)&&(!v||r.dataset.verdict===v);r.style.display=ok?'':'none';});}
var score=0,answered=0;
function answer(btn,val){var s=btn.closest('.stmt');if(s.classList.contains('answered'))return;
var right=(s.dataset.answer===val);s.classList.add('answered',right?'right':'wrong');
s.querySelector('.verdict').textContent=(right?'Right: ':'Wrong: ')+(s.dataset.answer==='yes'?'yes.':'no.');
answered++;if(right)score++;document.getElementById('score').textContent=score+' / '+answered+' answered (of '+document.querySelectorAll('.stmt').length+')';}
`;

function diagramsSection(ds: ReportInput['diagrams']): string {
  const body = ds
    .map((d) => {
      const svg = d.svg
        .replace(/<\?xml[^>]*\?>/g, '')
        .replace(/<!DOCTYPE[^>]*>/g, '')
        .replace(/<!--[\s\S]*?-->/g, '');
      return `<h3>${escapeHtml(d.name)}</h3><div class="diagram" data-diagram="${escapeHtml(d.name)}">${svg}</div>`;
    })
    .join('\n');
  return `<section id="diagrams"><h2>State machines</h2><p>Generated from machines/ by <code>swarm-model diagrams</code>; edges read <code>EVENT [guard] / actor</code>.</p>${body}</section>`;
}

function propertiesSection(ps: PropertyLine[]): string {
  const rows = ps
    .map(
      (p) =>
        `<tr><td>${escapeHtml(p.name)}</td><td class="${p.verdict}">${p.verdict}</td><td>${escapeHtml(p.detail)}</td></tr>`,
    )
    .join('');
  return `<section id="properties"><h2>Quick property pass</h2><p>A small budget of the property suite (the full one runs in <code>npm test</code>).</p><table><thead><tr><th>property</th><th>verdict</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function claimsSection(rs: ClaimResult[], summary: string): string {
  const topics = [...new Set(rs.map((r) => r.claim.topic))];
  const opts = (xs: string[]) => xs.map((x) => `<option value="${x}">${x}</option>`).join('');
  const rows = rs
    .map((r) => {
      const v = r.computed.verdict;
      const link =
        v === 'pending'
          ? escapeHtml(r.claim.id)
          : `<a href="#card-${r.claim.id}">${escapeHtml(r.claim.id)}</a>`;
      const vt = v === 'pending' ? `pending: needs ${r.computed.needs}` : v;
      return `<tr data-topic="${r.claim.topic}" data-verdict="${v}"><td>${link}</td><td>${r.claim.topic}</td><td class="v-${v}">${escapeHtml(vt)}</td><td>${escapeHtml(r.claim.claim)}</td></tr>`;
    })
    .join('');
  return `<section id="claims"><h2>Claims checked by the model</h2><p>${escapeHtml(summary)}</p>
<p class="filters">Topic <select id="f-topic" onchange="filterClaims()"><option value="">all</option>${opts(topics)}</select>
Verdict <select id="f-verdict" onchange="filterClaims()"><option value="">all</option>${opts(['true', 'false', 'imprecise', 'pending'])}</select></p>
<table><thead><tr><th>claim</th><th>topic</th><th>verdict</th><th>statement</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function cardsSection(rs: ClaimResult[], cards: Map<string, string>): string {
  const body = rs
    .filter((r) => r.computed.verdict !== 'pending')
    .map((r) => {
      const md = cards.get(r.claim.id) ?? '';
      return `<article class="card" id="card-${r.claim.id}" data-verdict="${r.computed.verdict}">${markdownToHtml(md, (src) => `<div class="seq">${sequenceSvg(src)}</div><details><summary>Mermaid source</summary><pre><code>${escapeHtml(src)}</code></pre></details>`)}</article>`;
    })
    .join('\n');
  return `<section id="cards"><h2>Cards</h2><p>One per computed claim: the counterexample (or witness), its narration and who said what. Replay any scenario with <code>npx swarm-model run reports/study/scenarios/ID.swarm</code>.</p>${body}</section>`;
}

function drillsSection(ds: (Drill & { n?: number })[]): string {
  const body = ds
    .map(
      (
        d,
        i,
      ) => `<div class="drill" id="drill-${i + 1}"><h3>Drill ${i + 1}: ${escapeHtml(d.title)}</h3><p>${escapeHtml(d.situation)}</p>
<details><summary>the situation as a scenario</summary><pre><code>${escapeHtml(d.scenario)}</code></pre></details>
${d.statements
  .map(
    (s) =>
      `<div class="stmt" data-answer="${s.answer ? 'yes' : 'no'}"><span class="q">${escapeHtml(s.question)}</span><button type="button" onclick="answer(this,'yes')">Yes</button><button type="button" onclick="answer(this,'no')">No</button><div class="explain"><strong class="verdict"></strong> ${escapeHtml(s.explanation)}</div></div>`,
  )
  .join('\n')}</div>`,
    )
    .join('\n');
  return `<section id="drills"><h2>Drills</h2><p>DCA-style: answer each statement yes or no. Answers and explanations were computed by running the model on the situation. Score: <span id="score">0 answered</span>. In a terminal: <code>npx swarm-model study --drill</code>.</p>${body}</section>`;
}

export function reportHtml(r: ReportInput): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>swarm-model report</title><style>${CSS}</style></head>
<body><header><h1>swarm-model: Docker Swarm, checked by an executable model</h1><p>${escapeHtml(r.summary)}</p></header>
<nav><a href="#claims">Claims</a><a href="#cards">Cards</a><a href="#drills">Drills</a><a href="#diagrams">Diagrams</a><a href="#properties">Properties</a></nav>
<main>
${claimsSection(r.results, r.summary)}
${drillsSection(r.drills)}
${cardsSection(r.results, r.cards)}
${diagramsSection(r.diagrams)}
${propertiesSection(r.properties)}
<p><small>Generated by <code>npm start</code> (<code>swarm-model report</code>); deterministic, no timestamp.</small></p>
</main><script>${JS}</script></body></html>
`;
}
