/**
 * The store's `index.json`, the one file naming images in the shared OCI layout. Two kinds of entries
 * live in it: the engine's local images (ref.name `NAME:TAG`, what builds tag and FROM finds) and the
 * registry's manifests (annotated with their repository; ref.name `<repo>:<tag>` when tagged). Updates
 * are synchronous read-modify-write: in one process nothing can interleave, and re-reading the file keeps
 * what another process sharing the folder (the CLI beside a server) wrote since.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import { writeFileAtomic } from '../../fs/atomic';
import { MediaType, type Descriptor, type ImageIndex } from '../oci/types';
import { isDigest } from './digest';

/** Marks an index entry as the registry's, naming its repository. */
export const REPOSITORY_ANNOTATION = 'io.govc.registry.repository';

export function isRegistryEntry(d: Descriptor): boolean {
  return d.annotations?.[REPOSITORY_ANNOTATION] !== undefined;
}

export class LayoutIndex {
  private entries: Descriptor[] = [];

  constructor(private readonly dir: string | undefined) {
    if (dir === undefined) return;
    const existing = this.read();
    if (existing === undefined) this.write();
    else this.entries = existing;
  }

  all(): Descriptor[] {
    return [...this.entries];
  }

  update(change: (entries: Descriptor[]) => Descriptor[]): void {
    const onDisk = this.dir === undefined ? undefined : this.read();
    const current = onDisk ?? this.entries;
    const next = change(current);
    // Re-tagging a rebuilt image with the digest it already had changes nothing: no write, no fsync.
    const unchanged = onDisk !== undefined && JSON.stringify(next) === JSON.stringify(current);
    this.entries = next;
    if (this.dir !== undefined && !unchanged) this.write();
  }

  private read(): Descriptor[] | undefined {
    let text: string;
    try {
      text = readFileSync(join(this.dir!, 'index.json'), 'utf8');
    } catch {
      return undefined;
    }
    return parseIndex(text, this.dir!).manifests;
  }

  private write(): void {
    const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.index, manifests: this.entries };
    writeFileAtomic(join(this.dir!, 'index.json'), JSON.stringify(index), 0o644);
  }
}

function parseIndex(text: string, dir: string): ImageIndex {
  let index: ImageIndex;
  try {
    index = JSON.parse(text) as ImageIndex;
  } catch {
    throw new GovcError('BAD_STORE', `${dir}/index.json is not valid JSON`);
  }
  if (index.schemaVersion !== 2 || !Array.isArray(index.manifests))
    throw new GovcError('BAD_STORE', `${dir}/index.json is not an OCI image index`);
  for (const d of index.manifests) {
    // sha512 manifests are the registry's; the build engine names its images by sha256.
    if (!isDigest(d.digest) && !/^sha512:[0-9a-f]{128}$/.test(String(d.digest)))
      throw new GovcError('BAD_STORE', `${dir}/index.json names a bad digest ${String(d.digest)}`);
  }
  return index;
}
