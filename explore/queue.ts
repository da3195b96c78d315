/**
 * The BFS frontier, stored as state encodings (not objects): each entry is `[len, words...]` in
 * fixed-size Int32Array chunks; a chunk is dropped once read. States leave the queue in the order
 * they entered it, which is also their index order in SeenStates.
 */
const CHUNK = 1 << 20;

export class WordQueue {
  private chunks: (Int32Array | null)[] = [new Int32Array(CHUNK)];
  /** Where each finished chunk's entries end (entries never straddle chunks). */
  private ends: number[] = [];
  private writePos = 0;
  private readChunk = 0;
  private readPos = 0;
  length = 0;

  /** Head entry after `shift`: its words are headChunk[headStart, headStart + headLen). */
  headChunk: Int32Array = new Int32Array(0);
  headStart = 0;
  headLen = 0;

  /** Appends words[start, start + len). */
  push(words: Int32Array, len: number, start = 0): void {
    let chunk = this.chunks[this.chunks.length - 1]!;
    if (this.writePos + len + 1 > chunk.length) {
      this.ends.push(this.writePos);
      chunk = new Int32Array(Math.max(CHUNK, len + 1));
      this.chunks.push(chunk);
      this.writePos = 0;
    }
    chunk[this.writePos] = len;
    for (let i = 0; i < len; i++) chunk[this.writePos + 1 + i] = words[start + i];
    this.writePos += len + 1;
    this.length++;
  }

  /** Moves to the next entry (the queue must not be empty). */
  shift(): void {
    if (this.readChunk < this.ends.length && this.readPos >= this.ends[this.readChunk]) {
      this.chunks[this.readChunk] = null;
      this.readChunk++;
      this.readPos = 0;
    }
    const chunk = this.chunks[this.readChunk]!;
    const len = chunk[this.readPos];
    this.headChunk = chunk;
    this.headStart = this.readPos + 1;
    this.headLen = len;
    this.readPos += len + 1;
    this.length--;
  }

  /** Bytes held by live chunks. */
  bytes(): number {
    let b = 0;
    for (const c of this.chunks) if (c) b += c.byteLength;
    return b;
  }
}
