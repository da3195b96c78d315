/** A small seeded PRNG (mulberry32) so that a run is a pure function of its seed. */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

/** The base seed of a suite: SWARM_SEED (a number, or `random`), else a fixed default so CI is reproducible. */
export function baseSeed(dflt = 20260801): number {
  const v = process.env.SWARM_SEED;
  if (v === undefined || v === '') return dflt;
  if (v === 'random') return (Date.now() ^ (process.pid << 8)) >>> 0;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`SWARM_SEED must be an integer or 'random', got '${v}'`);
  return n >>> 0;
}

export function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got '${v}'`);
  return n;
}
