/**
 * The error catalogue. Every failure that crosses a boundary (engine -> CLI, main -> renderer)
 * is a value with a stable code; tests assert the code, people read the message.
 */
export type ErrorCode =
  | 'E_QUERY' // malformed query; `position` says where
  | 'E_USAGE' // bad command-line usage or bad API arguments
  | 'E_PAYLOAD' // an IPC/HTTP payload that failed validation
  | 'E_CORPUS' // no readable document in the corpus, or a path that does not exist
  | 'E_PATH' // a path outside the allowed roots, with NUL bytes, etc.
  | 'E_INDEX' // the saved index could not be written
  | 'E_CANCELLED' // the user cancelled a long operation
  | 'E_NOT_FOUND' // unknown document id, unknown corpus, ...
  | 'E_FORBIDDEN' // IPC from an unexpected sender, bad web token
  | 'E_PROJECT' // a project file that cannot be read, is damaged, or would be overwritten
  | 'E_INTERNAL'; // a bug: anything not foreseen

export interface LoupeError {
  code: ErrorCode;
  message: string;
  /** 0-based character offset into the query where the problem was found (E_QUERY, including regular expressions re2js refuses). */
  position?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: LoupeError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string, position?: number): Result<T> => ({
  ok: false,
  error: position === undefined ? { code, message } : { code, message, position },
});

/** Thrown inside the engine where unwinding is simpler than threading results; caught at the boundary. */
/** The value of a Result, or its error thrown as a LoupeFailure (for callers that pass failures on). */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new LoupeFailure(r.error.code, r.error.message, r.error.position);
  return r.value;
}

export class LoupeFailure extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly position?: number,
  ) {
    super(message);
  }
  toError(): LoupeError {
    return this.position === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, position: this.position };
  }
}

export function toLoupeError(e: unknown): LoupeError {
  if (e instanceof LoupeFailure) return e.toError();
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'E_INTERNAL', message };
}
