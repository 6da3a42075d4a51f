/**
 * Help read from a JSON schema (draft-07, as the compose spec's is): which keys a map at a YAML path may
 * have, with their descriptions, types and allowed values. `$ref`s are resolved inside the schema; `oneOf`,
 * `anyOf` and `allOf` are read as "any of these": help offers what some branch allows, it does not validate.
 */
import type { YamlStep } from './yaml-cursor';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  deprecated?: boolean;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  definitions?: Record<string, JsonSchema>;
}

/** How a value is written: a block map, a block list, a scalar; `mixed` when a scalar or a block will do. */
export type Shape = 'map' | 'list' | 'block' | 'scalar' | 'mixed';

export interface KeyHelp {
  key: string;
  description: string | null;
  /** The JSON types it takes, e.g. `string | map`. */
  type: string;
  shape: Shape;
  deprecated: boolean;
  /** Allowed scalar values when the schema lists them (enum, or true/false for booleans). */
  values: string[];
}

/** A bound on `$ref` chains, against a schema that refers to itself. */
const MAX_DEPTH = 32;

export class SchemaHelp {
  constructor(private readonly root: JsonSchema) {}

  /** The schemas a value at `path` may match (several when the schema branches). */
  at(path: readonly YamlStep[]): JsonSchema[] {
    let here = [this.root];
    for (const step of path) here = here.flatMap((s) => this.child(s, step));
    return here;
  }

  /** The keys a map at `path` may have, in the schema's order, `x-` extension patterns left out. */
  keys(path: readonly YamlStep[]): KeyHelp[] {
    const found = new Map<string, KeyHelp>();
    for (const branch of this.at(path).flatMap((s) => this.branches(s))) {
      for (const [key, raw] of Object.entries(branch.properties ?? {})) {
        if (!found.has(key)) found.set(key, this.describe(key, [raw]));
      }
    }
    return [...found.values()];
  }

  /** Help on the key ending `path`; null when the schema says nothing about it. */
  key(path: readonly YamlStep[]): KeyHelp | null {
    const last = path[path.length - 1];
    if (typeof last !== 'string') return null;
    const schemas = this.at(path);
    if (schemas.length === 0) return null;
    const help = this.describe(last, schemas);
    return help.description === null && help.type === '' && help.values.length === 0 ? null : help;
  }

  /** Help on the value at `path` whatever its key (a sequence item's, say); null where the schema has none. */
  value(path: readonly YamlStep[]): KeyHelp | null {
    const schemas = this.at(path);
    return schemas.length === 0 ? null : this.describe('', schemas);
  }

  private describe(key: string, raw: JsonSchema[]): KeyHelp {
    const branches = raw.flatMap((s) => this.branches(s));
    const described = [...raw, ...raw.flatMap((s) => this.resolve(s))].find((s) => s.description);
    const types = new Set(branches.flatMap(typesOf));
    const kinds = new Set([...types].map((t) => (t === 'map' || t === 'list' ? t : 'scalar')));
    const shape: Shape =
      kinds.size === 1 ? ([...kinds][0] as Shape) : kinds.size === 0 || kinds.has('scalar') ? 'mixed' : 'block';
    const values = new Set<string>();
    for (const b of branches)
      for (const v of b.enum ?? []) if (v !== null && typeof v !== 'object') values.add(String(v));
    // Booleans mostly also take strings (for `${VAR}`); true and false are still what is usually meant.
    if (values.size === 0 && types.has('boolean')) ['true', 'false'].forEach((v) => values.add(v));
    return {
      key,
      description: described?.description ?? null,
      type: [...types].join(' | '),
      shape,
      deprecated: raw.some((s) => s.deprecated === true) || branches.some((s) => s.deprecated === true),
      values: [...values],
    };
  }

  private child(schema: JsonSchema, step: YamlStep): JsonSchema[] {
    return this.branches(schema).flatMap((s): JsonSchema[] => {
      if (typeof step === 'number') {
        if (Array.isArray(s.items)) return s.items.slice(0, 1);
        return s.items ? [s.items] : [];
      }
      const key = String(step);
      const named = s.properties?.[key];
      if (named) return [named];
      const patterned = Object.entries(s.patternProperties ?? {}).find(([p]) => new RegExp(p, 'u').test(key));
      if (patterned) return [patterned[1]];
      return typeof s.additionalProperties === 'object' ? [s.additionalProperties] : [];
    });
  }

  /** The schema with `$ref`s followed and `oneOf`/`anyOf`/`allOf` spread into their branches. */
  private branches(schema: JsonSchema, depth = 0): JsonSchema[] {
    if (depth > MAX_DEPTH) return [];
    return this.resolve(schema).flatMap((s) => {
      const nested = [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])];
      return nested.length === 0 ? [s] : [s, ...nested.flatMap((n) => this.branches(n, depth + 1))];
    });
  }

  private resolve(schema: JsonSchema, depth = 0): JsonSchema[] {
    if (!schema.$ref) return [schema];
    if (depth > MAX_DEPTH || !schema.$ref.startsWith('#/')) return [];
    let target: unknown = this.root;
    for (const part of schema.$ref.slice(2).split('/')) {
      target = (target as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return typeof target === 'object' && target !== null ? this.resolve(target as JsonSchema, depth + 1) : [];
  }
}

function typesOf(s: JsonSchema): string[] {
  const declared = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const implied = declared.length === 0 && s.properties ? ['object'] : declared;
  return implied
    .filter((t) => t !== 'null')
    .map((t) => (t === 'object' ? 'map' : t === 'array' ? 'list' : t === 'integer' ? 'number' : t));
}
