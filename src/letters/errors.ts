// The catalog of errors the letters domain raises. Each has a stable code that admin pages,
// the CLI and logs use; the message is for people, the issues say which field and why.
export type LetterErrorCode = 'invalid-letter' | 'letter-not-found' | 'slug-taken';

export interface LetterIssue {
  /** Dotted field path, e.g. `title`, `variants.1.weight`. */
  path: string;
  message: string;
}

export class LetterError extends Error {
  constructor(
    readonly code: LetterErrorCode,
    message: string,
    readonly issues: LetterIssue[] = [],
  ) {
    super(message);
    this.name = 'LetterError';
  }
}
