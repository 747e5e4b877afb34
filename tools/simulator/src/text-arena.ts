/** Bytes per chunk (1 MiB): a full-size soak's 1.8 million telemetry texts fill ~350 of them. */
const CHUNK_BYTES = 1 << 20;

/**
 * Many short texts kept as bytes in large chunks outside the JS heap: a run's telemetry without
 * a string object each, so the garbage collector has nothing to trace per event. A text is found
 * again by the position `add` returned (a small integer) and its byte length.
 */
export class TextArena {
  private readonly chunks: Buffer[] = [];
  private used = CHUNK_BYTES;

  /** Stores the text's UTF-8 bytes; returns its position. */
  add(text: string): number {
    const length = Buffer.byteLength(text);
    if (length > CHUNK_BYTES) throw new RangeError(`a text of ${length} bytes does not fit an arena chunk`);
    if (this.used + length > CHUNK_BYTES) {
      this.chunks.push(Buffer.allocUnsafeSlow(CHUNK_BYTES));
      this.used = 0;
    }
    const chunk = this.chunks.length - 1;
    this.chunks[chunk]!.write(text, this.used, 'utf8');
    const at = chunk * CHUNK_BYTES + this.used;
    this.used += length;
    return at;
  }

  /** A copy of the bytes stored at `at`. */
  bytes(at: number, length: number): Buffer {
    const chunk = this.chunks[Math.floor(at / CHUNK_BYTES)];
    if (!chunk) throw new RangeError(`no text at ${at}`);
    const from = at % CHUNK_BYTES;
    return Buffer.from(chunk.subarray(from, from + length));
  }

  /** The text stored at `at`. */
  text(at: number, length: number): string {
    const chunk = this.chunks[Math.floor(at / CHUNK_BYTES)];
    if (!chunk) throw new RangeError(`no text at ${at}`);
    const from = at % CHUNK_BYTES;
    return chunk.toString('utf8', from, from + length);
  }

  /** Bytes held (whole chunks). */
  get size(): number {
    return this.chunks.length * CHUNK_BYTES;
  }
}
