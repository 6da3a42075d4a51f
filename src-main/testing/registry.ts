/**
 * A test server and a registry client that speaks to its /v2/ with the admin token: the starting point of
 * every test of the registry over HTTP, so the way a client authenticates is written once.
 */
import type { Client } from '../server/registry/testkit';
import { startTestServer, type TestServer } from './server';

export async function startRegistryServer(): Promise<{ server: TestServer; client: Client }> {
  const server = await startTestServer();
  return { server, client: { url: server.url, headers: { authorization: `Bearer ${server.token}` } } };
}
