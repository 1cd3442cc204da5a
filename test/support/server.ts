// Serves a test app on a real port through its node:http listener (the fast path included),
// on loopback only.
import http from 'node:http';
import type { App } from '../../src/app.ts';

export async function listen(app: App): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app.nodeListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
