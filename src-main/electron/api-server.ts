/**
 * The desktop's optional REST API: the same server `govc serve` runs, on loopback only, sharing the
 * desktop's engine. Its admin token is new on every start and written to `<data>/api-token` (mode 0600)
 * for local scripts; the token itself never reaches a log line.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { newSecret } from '../core/auth/tokens';
import type { Engine } from '../core/engine';
import { ServerAuth } from '../server/auth';
import { createHttpServer } from '../server/http';

export const API_TOKEN_FILE = 'api-token';
export const API_HOST = '127.0.0.1';

export interface ApiServerOptions {
  engine: Engine;
  port: number;
  rendererDir: string;
  logger: Logger;
}

export interface ApiServer {
  url: string;
  tokenFile: string;
  close(): Promise<void>;
}

/**
 * Writes a secret readable by its owner only. It goes to a fresh file created with 0600 and is renamed
 * into place, so there is no moment when an older file's looser mode covers the new secret.
 */
export function writeSecretFile(path: string, secret: string): void {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    // The umask can only remove bits from 0600, but make the intent independent of it.
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { engine, logger } = options;
  const token = newSecret();
  // Backed by the engine's token store, so tokens made with POST /api/v1/tokens work here as with govc serve.
  const auth = new ServerAuth(engine.auth);
  auth.addAdminToken(token);
  const app = await createHttpServer({ engine, auth, rendererDir: options.rendererDir });
  try {
    await app.listen({ host: API_HOST, port: options.port });
  } catch (err) {
    await app.close();
    throw err;
  }
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${API_HOST}:${port}`;
  const tokenFile = join(engine.dataDir, API_TOKEN_FILE);
  try {
    writeSecretFile(tokenFile, token);
  } catch (err) {
    await app.close();
    throw err;
  }
  logger.info({ url: `${url}/api/v1`, tokenFile }, 'API server listening; its admin token is in the token file');

  let closing: Promise<void> | undefined;
  return {
    url,
    tokenFile,
    close() {
      closing ??= (async () => {
        await app.close();
        // The token dies with this server; removing the file keeps scripts from trying a dead one.
        rmSync(tokenFile, { force: true });
        logger.info('API server stopped');
      })();
      return closing;
    },
  };
}
