/**
 * Manifests the registry accepts (OCI image manifest and index, Docker schema 2 manifest and manifest
 * list), what they reference, and what the referrers API reports about them. The bytes are stored exactly
 * as pushed; parsing only extracts references and checks the document is what its media type says.
 */
import { RegistryError } from './errors';
import { isRegistryDigest } from './digest';

export const MANIFEST_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const KNOWN = new Set<string>(Object.values(MANIFEST_TYPES));
const INDEX_TYPES = new Set<string>([MANIFEST_TYPES.ociIndex, MANIFEST_TYPES.dockerList]);

/** Layers a registry may not hold (Windows base layers): their `urls` say where they live instead. */
const FOREIGN_LAYER = /\.foreign\.|nondistributable/;

export interface ParsedManifest {
  mediaType: string;
  /** Blobs (config, layers) the manifest needs in the repository. */
  blobs: string[];
  /** Manifests an index lists; they must be in the repository too. */
  manifests: string[];
  /** Sizes the descriptors declare, checked against the stored blobs. */
  sizes: Map<string, number>;
  subject?: string;
  artifactType?: string;
  annotations?: Record<string, string>;
}

interface Descriptor {
  mediaType?: unknown;
  digest?: unknown;
  size?: unknown;
  urls?: unknown;
}

function invalid(message: string): RegistryError {
  return new RegistryError('MANIFEST_INVALID', message);
}

function descriptor(value: unknown, where: string): { digest: string; size: number; mediaType: string; urls: boolean } {
  const d = value as Descriptor | null;
  if (typeof d !== 'object' || d === null) throw invalid(`${where} is not a descriptor`);
  if (typeof d.digest !== 'string' || !isRegistryDigest(d.digest)) throw invalid(`${where} has no valid digest`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0)
    throw invalid(`${where} has no valid size`);
  if (typeof d.mediaType !== 'string') throw invalid(`${where} has no mediaType`);
  return { digest: d.digest, size: d.size, mediaType: d.mediaType, urls: Array.isArray(d.urls) && d.urls.length > 0 };
}

/** The media type a push declares: the Content-Type (without parameters), else the document's own. */
export function declaredType(
  contentType: string | undefined,
  doc: { mediaType?: unknown; manifests?: unknown },
): string {
  const header = contentType?.split(';')[0]?.trim().toLowerCase();
  if (header !== undefined && KNOWN.has(header)) return header;
  if (typeof doc.mediaType === 'string') return doc.mediaType;
  return Array.isArray(doc.manifests) ? MANIFEST_TYPES.ociIndex : MANIFEST_TYPES.ociManifest;
}

export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid('The manifest is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid('The manifest is not a JSON object');
  const mediaType = declaredType(contentType, doc);
  if (!KNOWN.has(mediaType)) {
    throw new RegistryError('MANIFEST_INVALID', `Unsupported manifest media type ${mediaType}`, { mediaType }, 415);
  }
  if (typeof doc.mediaType === 'string' && doc.mediaType !== mediaType)
    throw invalid(`The manifest says mediaType ${doc.mediaType} but was sent as ${mediaType}`);
  if (doc.schemaVersion !== 2) throw invalid('schemaVersion must be 2');
  const parsed: ParsedManifest = { mediaType, blobs: [], manifests: [], sizes: new Map() };
  if (INDEX_TYPES.has(mediaType)) {
    if (!Array.isArray(doc.manifests)) throw invalid('An index needs a manifests array');
    doc.manifests.forEach((m, i) => {
      const d = descriptor(m, `manifests[${i}]`);
      parsed.manifests.push(d.digest);
      parsed.sizes.set(d.digest, d.size);
    });
  } else {
    const config = descriptor(doc.config, 'config');
    parsed.blobs.push(config.digest);
    parsed.sizes.set(config.digest, config.size);
    if (!Array.isArray(doc.layers)) throw invalid('An image manifest needs a layers array');
    doc.layers.forEach((l, i) => {
      const d = descriptor(l, `layers[${i}]`);
      if (d.urls && FOREIGN_LAYER.test(d.mediaType)) return;
      parsed.blobs.push(d.digest);
      parsed.sizes.set(d.digest, d.size);
    });
    // An artifact without artifactType is typed by its config (distribution-spec, listing referrers).
    if (typeof doc.artifactType !== 'string') parsed.artifactType = config.mediaType;
  }
  if (doc.subject !== undefined) parsed.subject = descriptor(doc.subject, 'subject').digest;
  if (typeof doc.artifactType === 'string' && doc.artifactType !== '') parsed.artifactType = doc.artifactType;
  if (doc.annotations !== undefined) {
    const annotations = doc.annotations as Record<string, unknown>;
    if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations))
      throw invalid('annotations must be an object of strings');
    if (Object.values(annotations).some((v) => typeof v !== 'string'))
      throw invalid('annotations must be an object of strings');
    parsed.annotations = annotations as Record<string, string>;
  }
  return parsed;
}

/**
 * Whether an `Accept` header admits a media type. No header (or a wildcard) accepts anything; clients
 * that list types get only what they listed.
 */
export function accepts(accept: string | string[] | undefined, mediaType: string): boolean {
  const values = (Array.isArray(accept) ? accept.join(',') : (accept ?? ''))
    .split(',')
    .map((v) => v.split(';')[0]!.trim().toLowerCase())
    .filter((v) => v !== '');
  if (values.length === 0) return true;
  const [type] = mediaType.split('/');
  return values.some((v) => v === '*/*' || v === mediaType || v === `${type}/*`);
}
