/**
 * An HTTP server that answers only when told: a Dockerfile that ADDs from it makes a build that stays running
 * (and builds behind it queued) for as long as a test needs, since FROM scratch builds otherwise end in
 * milliseconds.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingServer {
  /** A file URL on the server; every request waits. */
  url: string;
  /** How many requests are waiting. */
  waiting(): number;
  /** Answers every waiting request. */
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingServer(): Promise<HoldingServer> {
  const held: ServerResponse[] = [];
  const server = createServer((_req, res) => held.push(res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const release = () => held.splice(0).forEach((res) => res.end('slow\n'));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow.txt`,
    waiting: () => held.length,
    release,
    async close() {
      release();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
