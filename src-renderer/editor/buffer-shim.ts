/**
 * dockerfile-ast checks for a UTF-8 byte order mark with `Uint8Array.from(Buffer.from(char, 'UTF-8'))`, its
 * only use of Node's Buffer. The browser has no Buffer; TextEncoder gives the same UTF-8 bytes, so this stands
 * in for that one call instead of bundling a whole Buffer polyfill. Must run before dockerfile-ast is used.
 */
interface BufferFromUtf8 {
  from(text: string): Uint8Array;
}

const host = globalThis as { Buffer?: BufferFromUtf8 };
if (!host.Buffer) {
  const encoder = new TextEncoder();
  host.Buffer = { from: (text: string) => encoder.encode(text) };
}

export {};
