// The catalog of errors the content domain raises. Each has a stable code that pages, the
// CLI and logs use; the message is for people.
export type ContentErrorCode =
  | 'invalid-section'
  | 'invalid-slug'
  | 'invalid-article'
  | 'slug-taken'
  | 'image-missing'
  /** The article changed after the caller read it (another save came first); nothing was written. */
  | 'stale';

export class ContentError extends Error {
  constructor(
    readonly code: ContentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContentError';
  }
}
