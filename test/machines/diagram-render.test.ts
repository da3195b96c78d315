/**
 * The diagram writers on small hand-made machines, for the shapes today's machines do not have
 * (a parallel root, a compound state without a box title, an actor without a colour, duplicate
 * keys), and the README block replacement.
 */
import { describe, expect, test } from 'vitest';
import { createMachine } from 'xstate';
import {
  type DiagramSpec,
  README_BEGIN,
  README_END,
  toDot,
  toMermaid,
  withReadmeDiagram,
} from '../../machines/diagrams.ts';

const meta = (actor: string) => ({ actor, source: 'test' });
const spec = (machine: DiagramSpec['machine'], clusterLabels: Record<string, string> = {}): DiagramSpec => ({
  name: 'demo',
  title: 'Demo',
  machine,
  guardLabel: (g) => g.type,
  clusterLabels,
  rankdir: 'TB',
});

describe('Mermaid', () => {
  test('a parallel root: each region is a box with its own initial state, and no root initial', () => {
    const m = createMachine({
      id: 'par',
      type: 'parallel',
      states: {
        x: { initial: 'x1', states: { x1: { on: { GO: { target: 'x2', meta: meta('agent') } } }, x2: {} } },
        y: { initial: 'y2', states: { y1: {}, y2: {} } },
      },
    });
    expect(toMermaid(spec(m, { x: 'Region X' }))).toBe(
      [
        'stateDiagram-v2',
        '  state "Region X" as x {',
        '    [*] --> x1',
        '    x1',
        '    x2',
        '  }',
        '  state y {',
        '    [*] --> y2',
        '    y1',
        '    y2',
        '  }',
        '  x1 --> x2 : GO / agent',
        '',
      ].join('\n'),
    );
  });

  test('one initial marker per region: a compound state inside a region gets none (the region’s leads into it)', () => {
    const m = createMachine({
      id: 'nest',
      type: 'parallel',
      states: { x: { initial: 'c', states: { c: { initial: 'c1', states: { c1: {}, c2: {} } } } } },
    });
    expect(
      toMermaid(spec(m))
        .split('\n')
        .filter((l) => l.includes('[*]')),
    ).toEqual(['    [*] --> c1']);
  });

  test("the root is not a Mermaid state: a state may share the machine's id", () => {
    const m = createMachine({ id: 'same', initial: 'same', states: { same: {}, other: {} } });
    expect(toMermaid(spec(m)).split('\n')).toContain('  [*] --> same');
  });

  test('state keys must be unique (Mermaid names states by key)', () => {
    const m = createMachine({
      id: 'dup',
      initial: 'a',
      states: { a: { initial: 'k', states: { k: {} } }, b: { initial: 'k', states: { k: {} } } },
    });
    expect(() => toMermaid(spec(m))).toThrow('demo: state keys must be unique to draw Mermaid');
  });
});

test('DOT: an actor without a colour of its own is drawn black', () => {
  const m = createMachine({
    id: 'c',
    initial: 'a',
    states: { a: { on: { GO: { target: 'b', meta: meta('someone-new') } } }, b: {} },
  });
  expect(toDot(spec(m))).toMatch(/"a" -> "b" \[[^\]]*color="#000000"/);
});

describe('DOT', () => {
  test('state captions are HTML-escaped and titles quote-escaped', () => {
    const m = createMachine({ id: 'esc', initial: 'a', states: { a: {} } });
    const dot = toDot({ ...spec(m), title: 'The "demo"', captions: { a: 'x < y & z > w' } });
    expect(dot).toContain('<font point-size="9" color="#666666">x &lt; y &amp; z &gt; w</font>');
    expect(dot).toContain('label="The \\"demo\\""');
  });

  test('self-loops on one state go round it on different sides', () => {
    const m = createMachine({
      id: 'loops',
      initial: 'a',
      states: {
        a: {
          on: {
            P: { meta: meta('agent') },
            Q: { target: 'a', meta: meta('agent') },
            R: { target: 'a', meta: meta('agent') },
            S: { target: 'a', meta: meta('agent') },
            T: { target: 'a', meta: meta('agent') },
          },
        },
      },
    });
    const sides = [...toDot(spec(m)).matchAll(/tailport=(\w+), headport=(\w+)/g)].map(
      (x) => `${x[1]}${x[2]}`,
    );
    expect(sides).toEqual(['nn', 'ss', 'ee', 'ww', 'nn']);
  });

  test('an "any state in X" note only in the boxes that have a transition staying inside them', () => {
    const m = createMachine({
      id: 'boxes',
      initial: 'a',
      states: {
        a: {
          initial: 'a1',
          on: { BACK: { target: '.a1', meta: meta('agent') } },
          states: { a1: {}, a2: {} },
        },
        b: { initial: 'b1', on: { OUT: { target: '#boxes.a', meta: meta('agent') } }, states: { b1: {} } },
      },
    });
    const dot = toDot(spec(m));
    expect(dot.match(/any state in/g)).toEqual(['any state in']);
    expect(dot).toContain('"__any_a" [label="any state in a"');
  });
});

describe('README block', () => {
  const block = (mmd: string) => `${README_BEGIN}\n\`\`\`mermaid\n${mmd}\n\`\`\`\n${README_END}`;

  test('replaces what lies between the markers and keeps the rest', () => {
    const readme = `intro\n${README_BEGIN}\nold\n${README_END}\noutro\n`;
    expect(withReadmeDiagram(readme, 'stateDiagram-v2\n')).toBe(
      `intro\n${block('stateDiagram-v2')}\noutro\n`,
    );
    // A marker at the very start of the file is still a marker.
    expect(withReadmeDiagram(`${README_BEGIN}${README_END}`, 'x')).toBe(block('x'));
  });

  test('missing or swapped markers are an error, not a silent append', () => {
    const err = 'README.md lacks the diagrams:task markers';
    expect(() => withReadmeDiagram('no markers', 'x')).toThrow(err);
    expect(() => withReadmeDiagram(`${README_BEGIN}\n`, 'x')).toThrow(err);
    expect(() => withReadmeDiagram(`${README_END}\n${README_BEGIN}\n`, 'x')).toThrow(err);
  });
});
