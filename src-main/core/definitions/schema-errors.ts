/**
 * Turns Ajv's errors (with allErrors, every failed branch of every oneOf) into the few diagnostics a person
 * can act on, each placed on the YAML node it is about:
 *  - errors deeper in the document beat type/oneOf errors above them (a wrong branch fails at the top);
 *  - at one place, a specific error (required, additionalProperties, enum, pattern…) beats the type and
 *    oneOf errors of branches that did not apply;
 *  - type errors left at one place merge into one ("must be string or object").
 */
import type { ErrorObject } from 'ajv';
import type { Document } from 'yaml';
import type { Diagnostic } from '../../../src-shared/contract/definitions';
import { pathRange, type YamlText } from './yaml-text';

const VAGUE = new Set(['type', 'oneOf', 'anyOf', 'if', 'then', 'else', 'not', 'const']);

export function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isStrictPrefix(a: string, b: string): boolean {
  return b.length > a.length && b.startsWith(a) && (a === '' || b[a.length] === '/');
}

function describe(path: string[]): string {
  return path.length === 0 ? 'the document' : path.join('.');
}

export function schemaDiagnostics(
  errors: ErrorObject[],
  y: YamlText,
  doc: Document.Parsed,
  options: { rule: string; source: string },
): Diagnostic[] {
  const paths = [...new Set(errors.map((e) => e.instancePath))];
  const kept = errors.filter((e) => !(VAGUE.has(e.keyword) && paths.some((p) => isStrictPrefix(e.instancePath, p))));
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of kept) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const push = (path: string[], message: string): void => {
    const key = `${path.join('\0')}\0${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({
      severity: 'error',
      message,
      range: pathRange(y, doc, path),
      rule: options.rule,
      source: options.source,
    });
  };
  for (const [pointer, group] of byPath) {
    const path = decodePointer(pointer);
    const specific = group.filter((e) => !VAGUE.has(e.keyword));
    if (specific.length > 0) {
      for (const e of specific) push(...explain(path, e));
      continue;
    }
    const types = [...new Set(group.filter((e) => e.keyword === 'type').map((e) => String(e.params.type)))];
    if (types.length > 0) push(path, `${describe(path)} must be ${types.join(' or ')}`);
    else for (const e of group) push(path, `${describe(path)} ${e.message ?? 'is invalid'}`);
  }
  return out;
}

function explain(path: string[], e: ErrorObject): [string[], string] {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String(params.additionalProperty);
      return [[...path, prop], `${describe(path)}: unknown property "${prop}"`];
    }
    case 'required':
      return [path, `${describe(path)}: missing required property "${String(params.missingProperty)}"`];
    case 'enum':
      return [path, `${describe(path)} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`];
    case 'propertyNames':
      return [path, `${describe(path)}: invalid property name "${String(params.propertyName)}"`];
    default:
      return [path, `${describe(path)} ${e.message ?? 'is invalid'}`];
  }
}
