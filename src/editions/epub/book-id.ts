// The EPUB's identifier must stay the same across rebuilds of one edition, or reading systems
// treat a corrected rebuild as a different book (losing the reader's place and notes). So it is
// a name-based UUID (RFC 4122 version 5) of the edition's address, not a random one.
import { createHash } from 'node:crypto';

/** RFC 4122's namespace for names that are URLs. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

function uuidV5({ namespace, name }: { namespace: string; name: string }): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `urn:uuid:…` for one edition of one publication; the trailing slash of the URL does not matter. */
export function editionBookId({ publicUrl, editionId }: { publicUrl: string; editionId: number }): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `urn:uuid:${uuidV5({ namespace: URL_NAMESPACE, name: `${base}/editions/${editionId}` })}`;
}
