// A newsletter copy composed once into the bytes a mail server receives, without nodemailer's
// per-message MIME tree: at the Daily's rate the composing is a large share of the work.
// Transactional mail is composed by nodemailer (see transport.ts).
import { randomBytes } from 'node:crypto';
import { encodeWords } from 'nodemailer/lib/mime-funcs';

export interface RawMessage {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Further headers in order, e.g. List-Unsubscribe. Values are ASCII (URLs, ids). */
  headers: [string, string][];
  /** With its angle brackets: `<issue-7.42@news.example.com>`. */
  messageId: string;
  date: Date;
}

/** Header values and SMTP command arguments never carry a line break: one would start a new header or command. */
export const oneLine = (v: string) => v.replace(/[\r\n]+/g, ' ');

/** Bytes quoted-printable copies as they are: printable ASCII but "=". */
const QP_PLAIN = new Uint8Array(256);
for (let b = 33; b <= 126; b++) if (b !== 61) QP_PLAIN[b] = 1;
const HEX = Buffer.from('0123456789ABCDEF');

/**
 * Quoted-printable (RFC 2045) of UTF-8 text, lines at most 76 characters, line breaks as CRLF.
 * One pass over the bytes into one buffer: it runs for every copy of a newsletter.
 */
export function quotedPrintable(text: string): Buffer {
  const src = Buffer.from(text, 'utf8');
  const n = src.length;
  const out = Buffer.allocUnsafe(n * 3 + (n >> 3) + 16);
  let o = 0;
  let line = 0;
  for (let i = 0; i < n; i++) {
    const b = src[i];
    // Printable ASCII but "=" as it is; so are spaces and tabs, unless they end a line
    // (transports strip those).
    if (QP_PLAIN[b] === 1 || ((b === 32 || b === 9) && i + 1 < n && src[i + 1] !== 10 && src[i + 1] !== 13)) {
      if (line === 75) {
        out[o++] = 61;
        out[o++] = 13;
        out[o++] = 10;
        line = 0;
      }
      out[o++] = b;
      line += 1;
    } else if (b === 10 || (b === 13 && src[i + 1] === 10)) {
      if (b === 13) i++;
      out[o++] = 13;
      out[o++] = 10;
      line = 0;
    } else {
      if (line > 72) {
        out[o++] = 61;
        out[o++] = 13;
        out[o++] = 10;
        line = 0;
      }
      out[o++] = 61;
      out[o++] = HEX[b >> 4];
      out[o++] = HEX[b & 15];
      line += 3;
    }
  }
  return out.subarray(0, o);
}

/** A header line folded at spaces to about 78 characters (RFC 5322 §2.2.3). */
function headerLine(name: string, value: string): string {
  const words = oneLine(value).split(' ');
  let out = `${name}:`;
  let lineLength = out.length;
  for (const word of words) {
    if (lineLength + 1 + word.length > 78 && lineLength > name.length + 1) {
      out += '\r\n';
      lineLength = 0;
    }
    out += ` ${word}`;
    lineLength += 1 + word.length;
  }
  return `${out}\r\n`;
}

function displayName(name: string): string {
  const clean = oneLine(name).trim();
  if (!clean) return '';
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(clean)) return `"${clean.replace(/(["\\])/g, '\\$1')}" `;
  return `${encodeWords(clean, 'B', 0, true)} `;
}

/**
 * The whole message as the server receives it: headers, then text and HTML as
 * multipart/alternative, both quoted-printable UTF-8. The boundary cannot occur in the parts
 * (quoted-printable lines never hold the random 24 characters after "--=_").
 */
export function composeRawMessage(m: RawMessage): Buffer {
  const boundary = `=_${randomBytes(12).toString('hex')}`;
  let head = '';
  head += headerLine('From', `${displayName(m.from.name)}<${oneLine(m.from.address)}>`);
  head += headerLine('To', `<${oneLine(m.to)}>`);
  head += headerLine('Subject', encodeWords(oneLine(m.subject), 'Q', 52));
  head += headerLine('Date', m.date.toUTCString().replace('GMT', '+0000'));
  head += headerLine('Message-ID', m.messageId);
  for (const [name, value] of m.headers) head += headerLine(name, value);
  head += 'MIME-Version: 1.0\r\n';
  head += `Content-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n`;
  const partHead = (type: string) => Buffer.from(`--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`);
  return Buffer.concat([
    Buffer.from(head),
    partHead('text/plain'),
    quotedPrintable(m.text),
    Buffer.from('\r\n'),
    partHead('text/html'),
    quotedPrintable(m.html),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}
