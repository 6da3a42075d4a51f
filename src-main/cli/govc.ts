/**
 * The `govc` command. Each command's module loads only when it runs, so `govc lint` does not start up the
 * whole engine and server.
 */
import { fileURLToPath } from 'node:url';
import { GovcError } from '../../src-shared/errors';
import { VERSION } from '../core/version';

const USAGE = `govc ${VERSION}: govc Studio's engine

Usage:
  govc serve [--host 127.0.0.1] [--port 8080] [--data DIR] [--token-file F]
      Start the engine headless: REST API under /api/v1, event stream, and the web app.
      The admin token comes from --token-file, else GOVC_TOKEN, else a new one in the printed URL.
  govc build [options] CONTEXT
      Build an OCI image from a Dockerfile with the native engine; \`govc build --help\` lists the options.
  govc lint [--format text|json|sarif] [--policy FILE] [PATH…]
      Check Dockerfiles, compose files and Kubernetes manifests against the rules and .govc/policy.yaml.
  govc sign [--server URL] [--token T] [--list] IMAGE | --key
      Sign a govc server's image with its key, list an image's signatures, or print the public key.
  govc --version
  govc help
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      // This entry's own folder, not a chunk's: the renderer is built beside the entry (out/main → out/renderer).
      await (await import('./serve')).serve(rest, fileURLToPath(new URL('.', import.meta.url)));
      return 0;
    case 'build':
      return (await import('./build')).build(rest);
    case 'lint':
      return (await import('./lint')).lint(rest);
    case 'sign':
      return (await import('./sign')).sign(rest);
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
