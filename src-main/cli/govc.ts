/**
 * The `govc` command. `serve` runs the engine headless; later commands (build, lint) join it here.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GovcError } from '../../src-shared/errors';
import { createLogger } from '../core/logging';
import { defaultDataDir } from '../core/paths';
import { VERSION } from '../core/version';
import { isLoopback, resolveToken, startHeadless } from '../server/headless';

const USAGE = `govc ${VERSION}: govc Studio's engine

Usage:
  govc serve [--host 127.0.0.1] [--port 8080] [--data DIR] [--token-file F]
      Start the engine headless: REST API under /api/v1, event stream, and the web app.
      The admin token comes from --token-file, else GOVC_TOKEN, else a new one in the printed URL.
  govc --version
  govc help
`;

async function serve(argv: string[]): Promise<void> {
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
  const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
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

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serve(rest);
      return 0;
    case 'build':
      return (await import('./build')).build(rest);
    case 'lint':
      return (await import('./lint')).lint(rest);
    case '--version':
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`govc: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    const error = GovcError.from(err);
    process.stderr.write(`govc: ${error.message}${error.code === 'INTERNAL' ? '' : ` (${error.code})`}\n`);
    process.exit(1);
  },
);
