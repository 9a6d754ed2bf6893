/**
 * The text at a clicked mark of a dispersion plot: the document, fetched with the query's hits
 * marked, and which hit to show. Another mark of the same text only moves to it; a text asked for
 * after another supersedes it, whichever answer arrives first. `key` says what the open text is of
 * (a plot row, a query and its case), so a view can close it when that changes.
 */
import type { LoupeApi } from '../../../app/contract/api';
import type { LoupeError } from '../../../app/contract/errors';
import type { DocumentText } from '../../../app/contract/types';

export class HitText {
  shown = $state.raw<{ doc: DocumentText; focusStart?: number } | null>(null);
  error = $state<LoupeError | null>(null);
  /** What the open (or opening) text is of; null when none is. */
  key: string | null = null;
  private seq = 0;

  constructor(private readonly api: () => Pick<LoupeApi, 'documentText'>) {}

  close(): void {
    this.seq++;
    this.key = null;
    this.shown = null;
    this.error = null;
  }

  /** Shows hit number `at.hit` of document `at.doc`, marking the hits of `query`. */
  async open(at: { doc: number; hit: number }, query: string, caseSensitive: boolean, key: string): Promise<void> {
    const open = this.shown;
    if (open && this.key === key && open.doc.doc === at.doc) {
      this.shown = { doc: open.doc, focusStart: open.doc.hits[at.hit]?.[0] };
      return;
    }
    const mine = ++this.seq;
    this.key = key;
    const answer = await this.api().documentText({ doc: at.doc, query, caseSensitive });
    if (mine !== this.seq) return;
    this.error = answer.ok ? null : answer.error;
    this.shown = answer.ok ? { doc: answer.value, focusStart: answer.value.hits[at.hit]?.[0] } : null;
  }
}
