/**
 * `govc serve`: the engine headless, with the REST API, the event stream and the web app.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GovcError } from '../../src-shared/errors';
import { createLogger } from '../core/logging';
import { defaultDataDir } from '../core/paths';
import { VERSION } from '../core/version';
import { isLoopback, resolveToken, startHeadless } from '../server/headless';

/** `entryDir` is the folder of the `govc` entry bundle (out/main), beside which the renderer is built. */
export async function serve(argv: string[], entryDir: string): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      data: { type: 'string' },
      'token-file': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new GovcError('BAD_REQUEST', `Invalid --port ${values.port}`);
  const dataDir = values.data ?? defaultDataDir();
  const logger = createLogger({ destination: 'stdout' });
  const token = resolveToken(values['token-file'], process.env);
  if (!isLoopback(values.host!)) {
    logger.warn(
      { host: values.host },
      'listening beyond loopback: anyone who can reach this address and holds the token can use the engine',
    );
  }
  // The renderer sits beside this bundle in the build output (out/main/govc.js → out/renderer).
  const rendererDir = join(entryDir, '..', 'renderer');
  const server = await startHeadless({
    host: values.host!,
    port,
    dataDir,
    rendererDir,
    logger,
    ...(token ? { token } : {}),
  });
  // The ready URL goes to the terminal, not the log: it is the one place the generated token is shown.
  process.stdout.write(
    `\ngovc Studio ${VERSION} is serving ${dataDir}\n  Open: ${server.readyUrl}\n  API:  ${server.url}/api/v1\n\n`,
  );

  const shutdown = (signal: string): void => {
    void server.close(signal).then(
      () => {
        logger.flush();
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
