/** Reading request bodies that must be whole (manifests, token forms), with a size limit. */
import type { Readable } from 'node:stream';
import { RegistryError } from '../../core/registry/errors';

/**
 * The whole body, or SIZE_INVALID (413) past `limit`. An oversized body is still drained (and dropped),
 * so the error response reaches the client instead of a reset connection.
 */
export function readBody(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (failed) return;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new RegistryError('SIZE_INVALID', `The request body is larger than ${limit} bytes`, { limit }, 413));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    stream.on('error', reject);
  });
}

/** `Content-Length` as a number, when sent. */
export function contentLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
