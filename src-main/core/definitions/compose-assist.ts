/**
 * Compose key help for editors: the keys valid where the cursor is (top level: services, volumes, …; in a
 * service: image, build, ports, …), the values a key allows, and the description of the key under the
 * cursor, all from the compose-spec schema the engine validates with. Works on unsaved, half-typed text.
 */
import { readFileSync } from 'node:fs';
import type { SourceRange } from '../../../src-shared/contract/definitions';
import { composeSchemaPath } from './compose-schema';
import { SchemaHelp, type JsonSchema, type KeyHelp, type Shape } from './schema-help';
import { cursorPlace, keyAt, type LineSpan } from './yaml-cursor';

export interface ComposeCompletion {
  label: string;
  kind: 'key' | 'value';
  description: string | null;
  type: string;
  shape: Shape;
  deprecated: boolean;
}

export interface ComposeHover {
  key: string;
  /** Where the key sits, e.g. `services.web.build.context` (`[]` for a sequence item). */
  path: string;
  description: string | null;
  type: string;
  deprecated: boolean;
  range: SourceRange;
}

let help: SchemaHelp | undefined;

function schemaHelp(): SchemaHelp {
  help ??= new SchemaHelp(JSON.parse(readFileSync(composeSchemaPath(), 'utf8')) as JsonSchema);
  return help;
}

export function composeCompletions(
  text: string,
  line: number,
  column: number,
): { items: ComposeCompletion[]; range: SourceRange | null } {
  const place = cursorPlace(text, line, column);
  if (!place) return { items: [], range: null };
  const schema = schemaHelp();
  const items: ComposeCompletion[] = [];
  if (place.kind === 'key') {
    const present = new Set(place.present);
    for (const k of schema.keys(place.path)) if (!present.has(k.key)) items.push(completion(k, 'key', k.key));
    // `- ` in a list of scalars with allowed values (cap_add, …): offer the values as items.
    const last = place.path[place.path.length - 1];
    const item = place.inItem && typeof last === 'number' ? schema.value(place.path) : null;
    if (item) items.push(...item.values.map((v) => completion(item, 'value', v)));
  } else {
    const key = schema.key(place.path);
    if (key) items.push(...key.values.map((v) => completion(key, 'value', v)));
  }
  return { items, range: rangeOf(place.span) };
}

function completion(k: KeyHelp, kind: 'key' | 'value', label: string): ComposeCompletion {
  return { label, kind, description: k.description, type: k.type, shape: k.shape, deprecated: k.deprecated };
}

export function composeHover(text: string, line: number, column: number): ComposeHover | null {
  const at = keyAt(text, line, column);
  if (!at) return null;
  const key = schemaHelp().key(at.path);
  if (!key) return null;
  return {
    key: key.key,
    path: at.path.map((s, i) => (typeof s === 'number' ? '[]' : i === 0 ? s : `.${s}`)).join(''),
    description: key.description,
    type: key.type,
    deprecated: key.deprecated,
    range: rangeOf(at.span),
  };
}

function rangeOf(span: LineSpan): SourceRange {
  return { start: { line: span.line, column: span.start + 1 }, end: { line: span.line, column: span.end + 1 } };
}
