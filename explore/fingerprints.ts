/**
 * 64-bit state fingerprints and the set of seen states.
 *
 * Like TLC, the explorer remembers a state only by a 64-bit fingerprint of its canonical encoding.
 * Two distinct states with the same fingerprint would be merged; the chance is reported at the end
 * (TLC's "optimistic" estimate n*(g-n)/2^64). The fingerprint is two independent 32-bit hashes
 * (murmur3-style mixing with different seeds) over the encoding's words.
 *
 * Seen states get consecutive indices in discovery (BFS) order. Per index we keep the fingerprint,
 * the BFS parent and the action that reached it, all in typed arrays: about 14 bytes a state plus
 * the hash table (8 bytes a slot, at most 70% full), so millions of states fit in well under 1 GB.
 */

const SEED_A = 0x9747b28c | 0;
const SEED_B = 0x2545f491 | 0;

/** Hashes words[0, len) into the `a`/`b` fields (kept as fields to avoid allocating a tuple). */
export class Hasher {
  a = 0;
  b = 0;
  hash(words: Int32Array, len: number): void {
    let h1 = SEED_A ^ len;
    let h2 = SEED_B ^ Math.imul(len, 0x27d4eb2f);
    for (let i = 0; i < len; i++) {
      let k = Math.imul(words[i], 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h1 ^= k;
      h1 = (h1 << 13) | (h1 >>> 19);
      h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
      let j = Math.imul(words[i] ^ 0x5bd1e995, 0x85ebca6b);
      j ^= j >>> 13;
      h2 = Math.imul(h2 ^ j, 0x01000193);
      h2 ^= h2 >>> 15;
    }
    // Final avalanche (murmur3 fmix32) on both halves.
    h1 ^= h1 >>> 16;
    h1 = Math.imul(h1, 0x85ebca6b);
    h1 ^= h1 >>> 13;
    h1 = Math.imul(h1, 0xc2b2ae35);
    h1 ^= h1 >>> 16;
    h2 ^= h2 >>> 16;
    h2 = Math.imul(h2, 0x7feb352d);
    h2 ^= h2 >>> 15;
    h2 = Math.imul(h2, 0x846ca68b);
    h2 ^= h2 >>> 16;
    this.a = h1;
    this.b = h2;
  }
}

/** A growable typed array (amortised doubling). */
function grow<T extends Int32Array | Uint16Array | Uint8Array | Uint32Array>(arr: T, need: number): T {
  if (need <= arr.length) return arr;
  let n = arr.length;
  while (n < need) n *= 2;
  const out = new (arr.constructor as new (n: number) => T)(n);
  out.set(arr);
  return out;
}

export { grow as growTypedArray };

/** No parent: an initial state. */
export const NO_PARENT = -1;

export class SeenStates {
  /** Number of distinct states. */
  size = 0;
  /** Per index: the fingerprint (for rebuilding traces), BFS parent and the action that reached it. */
  fpA = new Int32Array(1 << 16);
  fpB = new Int32Array(1 << 16);
  parent = new Int32Array(1 << 16);
  action = new Uint16Array(1 << 16);
  /**
   * Open addressing with linear probing; slot k holds [fpA, index + 1] at 2k (index + 1 = 0 marks an
   * empty slot) and the second half of the fingerprint is checked in fpB[index] when fpA matches.
   * 8 bytes a slot, at most 70% full: for the 1.4M-state benchmark the table is 16 MB and, with fpB,
   * fits the L3 cache, which matters more than anything else here (most probes are random hits).
   */
  private table = new Int32Array(2 << 17);
  private mask = (1 << 17) - 1;
  private limit = Math.floor((1 << 17) * 0.7);

  /**
   * Returns the index of the state with fingerprint (a, b), inserting it if new. A new state's index
   * is returned as `-(index + 1)` so the caller can tell without a second lookup.
   */
  findOrAdd(a: number, b: number, parent: number, action: number): number {
    const table = this.table;
    const mask = this.mask;
    let slot = (a ^ (b >>> 7)) & mask;
    for (;;) {
      const e = table[(slot << 1) + 1];
      if (e === 0) break;
      if (table[slot << 1] === a && this.fpB[e - 1] === b) return e - 1;
      slot = (slot + 1) & mask;
    }
    const idx = this.size++;
    if (idx >= this.fpA.length) {
      this.fpA = grow(this.fpA, idx + 1);
      this.fpB = grow(this.fpB, idx + 1);
      this.parent = grow(this.parent, idx + 1);
      this.action = grow(this.action, idx + 1);
    }
    this.fpA[idx] = a;
    this.fpB[idx] = b;
    this.parent[idx] = parent;
    this.action[idx] = action;
    table[slot << 1] = a;
    table[(slot << 1) + 1] = idx + 1;
    if (this.size > this.limit) this.rehash();
    return -(idx + 1);
  }

  /** Reads the first slot (a, b) would probe, only to bring it into the cache (see explorer `settle`). */
  peek(a: number, b: number): void {
    // Kept in a field so that the load is not optimised away.
    this.peeked ^= this.table[(((a ^ (b >>> 7)) & this.mask) << 1) + 1];
  }
  peeked = 0;

  private rehash(): void {
    const cap = (this.mask + 1) * 2;
    const table = new Int32Array(cap * 2);
    const mask = cap - 1;
    for (let i = 0; i < this.size; i++) {
      const a = this.fpA[i];
      let slot = (a ^ (this.fpB[i] >>> 7)) & mask;
      while (table[(slot << 1) + 1] !== 0) slot = (slot + 1) & mask;
      table[slot << 1] = a;
      table[(slot << 1) + 1] = i + 1;
    }
    this.table = table;
    this.mask = mask;
    this.limit = Math.floor(cap * 0.7);
  }

  /** Bytes held by the typed arrays (for reports). */
  bytes(): number {
    return this.fpA.byteLength * 2 + this.parent.byteLength + this.action.byteLength + this.table.byteLength;
  }
}
