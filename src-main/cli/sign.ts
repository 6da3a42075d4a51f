/**
 * `govc sign IMAGE`: asks a govc server to sign one of its local images with the server's key (the key
 * never leaves the server, so there is no local mode). `--list` shows the image's signatures, each
 * verified again by the server; `--key` prints the public key to put in another policy's signing.keys.
 */
import { parseArgs } from 'node:util';
import { createHttpClient } from '../../src-shared/client';
import { GovcError } from '../../src-shared/errors';

export const SIGN_USAGE = `Usage: govc sign [--server URL] [--token T] IMAGE
       govc sign [--server URL] [--token T] --list IMAGE
       govc sign [--server URL] [--token T] --key
  IMAGE is a local image of the server (name or manifest digest). The server defaults to GOVC_SERVER, else
  http://127.0.0.1:8080; the token to GOVC_TOKEN. Signing prints the signature's digest on stdout.
`;

export async function sign(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      list: { type: 'boolean', default: false },
      key: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(SIGN_USAGE);
    return 0;
  }
  const server = (values.server ?? process.env.GOVC_SERVER ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const token = values.token ?? process.env.GOVC_TOKEN;
  const client = createHttpClient({ baseUrl: server, ...(token ? { token } : {}) });
  if (values.key) {
    const key = await client.invoke('images.signing_key', {});
    process.stderr.write(`key id ${key.key_id} (${key.algorithm})\n`);
    process.stdout.write(key.public_key);
    return 0;
  }
  const ref = positionals[0];
  if (ref === undefined || positionals.length > 1)
    throw new GovcError('BAD_REQUEST', `govc sign takes one IMAGE\n\n${SIGN_USAGE}`);
  if (values.list) {
    const { image, signatures } = await client.invoke('images.signatures', { ref });
    process.stderr.write(`${image}: ${signatures.length} signature(s)\n`);
    for (const s of signatures) {
      const state = s.verified ? (s.trusted ? 'verified, this engine' : 'verified, other key') : `INVALID: ${s.reason}`;
      process.stdout.write(`${s.digest} key ${s.key_id ?? '?'} ${s.created ?? ''} ${state}\n`);
    }
    // Non-zero when a signature fails, so a script notices tampering.
    return signatures.every((s) => s.verified) ? 0 : 1;
  }
  const signed = await client.invoke('images.sign', { ref });
  process.stderr.write(`signed ${signed.image} with key ${signed.key_id ?? '?'}\n`);
  process.stdout.write(`${signed.digest}\n`);
  return 0;
}
