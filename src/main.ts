// Reads config, builds the app, seeds the demo on an empty database, listens.
import http from 'node:http';
import type { Config } from './config/config.ts';
import { buildApp } from './app.ts';
import { seedDemoIfEmpty } from './demo/seed.ts';

export async function startServer(config: Config, opts: { print?: (line: string) => void } = {}): Promise<{ close(): Promise<void>; url: string }> {
  const print = opts.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const app = await buildApp({ config });
  if (config.isDemo) await seedDemoIfEmpty(app, { print });
  app.startBackground();
  const server = http.createServer(app.nodeListener);
  // Slow clients must not hold sockets forever; headers over 16 KB get a 431 from Node.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  print(`Masthead is serving ${url}  (database: ${app.database.dialect}, data: ${config.dataDir})`);
  return {
    url,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
