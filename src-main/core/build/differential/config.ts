/**
 * Compares the runtime part of two image configs field by field, after the normalisations the
 * differential test documents: empty and missing values are the same, buildah's own version label is
 * dropped, and map keys are compared sorted.
 */
import type { ContainerConfig } from '../oci/types';

export const COMPARED_FIELDS = [
  'Env',
  'Cmd',
  'Entrypoint',
  'WorkingDir',
  'User',
  'ExposedPorts',
  'Labels',
  'Volumes',
  'StopSignal',
  'Healthcheck',
  'OnBuild',
  'Shell',
] as const;

/** Labels an engine adds about itself; not part of what the Dockerfile asked for. */
const ENGINE_LABELS = new Set(['io.buildah.version']);

export function normaliseConfig(config: ContainerConfig | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of COMPARED_FIELDS) {
    let value: unknown = config?.[field];
    if (field === 'Labels' && value) {
      value = Object.fromEntries(
        Object.entries(value as Record<string, string>).filter(([k]) => !ENGINE_LABELS.has(k)),
      );
    }
    if (field === 'Healthcheck' && value) {
      // Zero durations mean "the default" in both engines' configs; only what was set is compared.
      value = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== 0 && v !== undefined));
    }
    if (isEmpty(value)) continue;
    out[field] = sortKeys(value);
  }
  return out;
}

/** `Cmd: ["a"] (ours) ≠ ["b"] (peer)` lines for every compared field that differs after normalisation. */
export function compareConfigs(ours: ContainerConfig | undefined, peer: ContainerConfig | undefined): string[] {
  const a = normaliseConfig(ours);
  const b = normaliseConfig(peer);
  const out: string[] = [];
  for (const field of COMPARED_FIELDS) {
    const left = JSON.stringify(a[field]);
    const right = JSON.stringify(b[field]);
    if (left !== right) out.push(`config ${field}: ${left ?? 'unset'} (ours) ≠ ${right ?? 'unset'} (peer)`);
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}
