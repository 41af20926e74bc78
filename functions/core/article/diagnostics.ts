import type { Diagnostic } from '../model.js';

/** Why a file cannot be published. */
export type RejectionCode =
  | 'empty'
  | 'too-large'
  | 'binary'
  | 'invalid-utf8'
  | 'no-text'
  | 'bad-front-matter';

/** A file that cannot be published. The message always starts with the file's name. */
export class ArticleRejectedError extends Error {
  override name = 'ArticleRejectedError';
  readonly source: string;
  readonly code: string;

  constructor(source: string, code: RejectionCode, problem: string) {
    super(`${source}: ${problem}`);
    this.source = source;
    this.code = code;
  }

  toDiagnostic(): Diagnostic {
    return { source: this.source, severity: 'error', code: this.code, message: this.message };
  }
}

/** A problem in a file that is still published. */
export function articleWarning(source: string, code: string, problem: string): Diagnostic {
  return { source, severity: 'warning', code, message: `${source}: ${problem}` };
}
