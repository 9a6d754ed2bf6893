/** What a query finds: token ranges, and the helpers that read them without materialising ends. */

export interface Hits {
  starts: Uint32Array;
  /** Exclusive end positions. For fixed-length hits, made on first read (see fixedLengthHits). */
  ends: Uint32Array;
  /** Set when every hit spans this many tokens (ends[i] = starts[i] + length): readers that know
   * it need not touch `ends`, which a frequent word would otherwise pay for per hit. */
  length?: number;
}

/** Hits of one length; `ends` is materialised only if something reads it. */
export function fixedLengthHits(starts: Uint32Array, length: number): Hits {
  let ends: Uint32Array | undefined;
  return {
    starts,
    length,
    get ends(): Uint32Array {
      if (!ends) {
        ends = new Uint32Array(starts.length);
        for (let i = 0; i < starts.length; i++) ends[i] = starts[i]! + length;
      }
      return ends;
    },
  };
}

/** Exclusive end of hit i, without materialising `ends` for fixed-length hits. */
export function endOf(hits: Hits, i: number): number {
  return hits.length !== undefined ? hits.starts[i]! + hits.length : hits.ends[i]!;
}
