// The client's address: the socket's, unless TRUST_PROXY names the proxy the request came
// through, in which case the last X-Forwarded-For hop that proxy added.
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';

export function clientAddress(c: Context, trustProxy: string | null): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const socketAddress = incoming?.socket?.remoteAddress ?? 'unknown';
  if (!trustProxy || normalise(socketAddress) !== normalise(trustProxy)) return socketAddress;
  const forwarded = c.req.header('x-forwarded-for');
  if (!forwarded) return socketAddress;
  const hops = forwarded.split(',').map((h) => h.trim()).filter(Boolean);
  return hops[hops.length - 1] ?? socketAddress;
}

function normalise(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
