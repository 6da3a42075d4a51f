/**
 * `RUN --mount=…`: Docker's CSV syntax (`type=cache,target=/root/.cache,sharing=locked`), its defaults and
 * its checks. Values are expanded with the stage's variables, except `from`, which Docker forbids.
 */
import { ProblemError } from './problems';
import type { RunMount } from './types';
import { parseGoBool, parseRamBytes } from './values';

const TYPES = new Set<RunMount['type']>(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
const SHARING = new Set<NonNullable<RunMount['sharing']>>(['shared', 'private', 'locked']);

/** Go's encoding/csv for one record: commas separate, double quotes group, `""` is a quote inside quotes. */
export function splitCsv(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) throw new Error('failed to parse csv mounts: extraneous or missing " in quoted-field');
  fields.push(field);
  return fields;
}

export interface MountContext {
  /** Expands a value; at parse time returns it unchanged. */
  expand(value: string): string;
  /** false at parse time: values holding variables are checked later. */
  expanding: boolean;
  /** Position among this RUN's ssh mounts, for the default socket path. */
  sshIndex: number;
}

export function parseMount(text: string, ctx: MountContext): RunMount {
  const bad = (message: string): ProblemError => new ProblemError('BAD_FLAG', `--mount=${text}: ${message}`, '--mount');
  let fields: string[];
  try {
    fields = splitCsv(text);
  } catch (error) {
    throw bad((error as Error).message);
  }
  const m: Omit<RunMount, 'target'> & { target?: string } = { type: 'bind' };
  let readonly: boolean | undefined;
  const deferred = (value: string): boolean => !ctx.expanding && value.includes('$');
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') readonly = true;
      else if (key === 'readwrite' || key === 'rw') readonly = false;
      else if (key === 'required' && (m.type === 'secret' || m.type === 'ssh')) m.required = true;
      else if (key === 'required') throw bad(`unexpected key '${key}' for mount type '${m.type}'`);
      else throw bad(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    const raw = field.slice(eq + 1);
    if (key === 'from') {
      if (raw.includes('$')) throw bad("'from' doesn't support variable expansion, define alias stage instead");
      m.from = raw;
      continue;
    }
    const value = ctx.expand(raw);
    const parseOr = <T>(parse: () => T, what: string): T | undefined => {
      if (deferred(value)) return undefined;
      try {
        return parse();
      } catch {
        throw bad(`invalid value ${value} for ${what}`);
      }
    };
    switch (key) {
      case 'type': {
        const type = value.toLowerCase() as RunMount['type'];
        if (!TYPES.has(type)) throw bad(`unsupported mount type "${value}" (one of ${[...TYPES].join(', ')})`);
        m.type = type;
        break;
      }
      case 'source':
      case 'src':
        m.source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        m.target = value;
        break;
      case 'readonly':
      case 'ro':
        readonly = parseOr(() => parseGoBool(value), key) ?? readonly;
        break;
      case 'readwrite':
      case 'rw': {
        const rw = parseOr(() => parseGoBool(value), key);
        if (rw !== undefined) readonly = !rw;
        break;
      }
      case 'required':
        if (m.type !== 'secret' && m.type !== 'ssh') throw bad(`unexpected key '${key}' for mount type '${m.type}'`);
        m.required = parseOr(() => parseGoBool(value), key);
        break;
      case 'size':
        if (m.type !== 'tmpfs') throw bad(`unexpected key '${key}' for mount type '${m.type}'`);
        m.size = parseOr(() => parseRamBytes(value), key);
        break;
      case 'id':
        m.id = value;
        break;
      case 'sharing': {
        const sharing = value.toLowerCase() as NonNullable<RunMount['sharing']>;
        if (!SHARING.has(sharing)) throw bad(`unsupported sharing value "${value}" (one of shared, private, locked)`);
        m.sharing = sharing;
        break;
      }
      case 'mode':
        m.mode = parseOr(() => parseUnsigned(value, 8), 'mode');
        break;
      case 'uid':
      case 'gid':
        m[key] = parseOr(() => parseUnsigned(value, 10), key);
        break;
      case 'env':
        m.env = value;
        break;
      default:
        throw bad(`unexpected key '${key}' in '${field}'`);
    }
  }
  return finish(m, readonly, ctx.sshIndex, bad);
}

function finish(
  m: Omit<RunMount, 'target'> & { target?: string },
  readonly: boolean | undefined,
  sshIndex: number,
  bad: (message: string) => ProblemError,
): RunMount {
  const fileInfoAllowed = m.type === 'secret' || m.type === 'ssh' || m.type === 'cache';
  for (const key of ['mode', 'uid', 'gid'] as const) {
    if (!fileInfoAllowed && m[key] !== undefined) throw bad(`${key} not allowed for "${m.type}" type mounts`);
  }
  if (m.sharing !== undefined && m.type !== 'cache') throw bad(`invalid cache sharing set for ${m.type} mount`);
  if (m.env !== undefined && m.type !== 'secret') throw bad(`unexpected key 'env' for mount type '${m.type}'`);
  const mount = { ...m, readonly: readonly ?? !(m.type === 'cache' || m.type === 'tmpfs') };
  switch (mount.type) {
    case 'secret': {
      if (mount.from !== undefined) throw bad('secret mount should not have a from');
      if (
        mount.source === undefined &&
        mount.target === undefined &&
        mount.id === undefined &&
        mount.env === undefined
      ) {
        throw bad('invalid secret mount. one of source, target required');
      }
      if (mount.source !== undefined && mount.id !== undefined) throw bad("both source and id can't be set");
      // Docker names the secret by source, else id, else the target's base name.
      const id = mount.source ?? mount.id ?? baseName(mount.target ?? mount.env ?? '');
      const target = mount.target ?? (mount.env === undefined ? `/run/secrets/${baseName(id)}` : '');
      return { ...mount, id, target };
    }
    case 'ssh':
      return { ...mount, id: mount.id ?? 'default', target: mount.target ?? `/run/buildkit/ssh_agent.${sshIndex}` };
    case 'cache':
      if (!mount.target) throw bad('mount target is required');
      // An unnamed cache is keyed by its target, as in BuildKit.
      return { ...mount, target: mount.target, id: mount.id ?? mount.target, sharing: mount.sharing ?? 'shared' };
    default:
      if (!mount.target) throw bad('mount target is required');
      return { ...mount, target: mount.target };
  }
}

function parseUnsigned(text: string, radix: 8 | 10): number {
  const digits = radix === 8 ? /^[0-7]+$/ : /^\d+$/;
  if (!digits.test(text)) throw new Error(`not a base-${radix} number: ${text}`);
  const value = parseInt(text, radix);
  if (value > 0xffffffff) throw new Error(`out of range: ${text}`);
  return value;
}

function baseName(path: string): string {
  const parts = path.split('/').filter((part) => part !== '');
  return parts[parts.length - 1] ?? path;
}
