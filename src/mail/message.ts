// One outgoing e-mail as the rest of Masthead describes it: plain data, no transport details,
// so it can be stored in an outbox row and sent later by any transport.

export interface MailMessage {
  to: string;
  /** Falls back to the transport's configured sender. */
  from?: string;
  replyTo?: string;
  subject: string;
  /** The plain-text part; always present, for clients and filters that read only text. */
  text: string;
  html?: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post for the Daily. */
  headers?: Record<string, string>;
  /** Set it to keep the Message-ID stable across retries of the same send; generated otherwise. */
  messageId?: string;
}
