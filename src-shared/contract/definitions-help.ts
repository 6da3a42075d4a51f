/**
 * Editor help for definition files, computed by the engine from the text as typed (not saved), so an editor
 * needs no schema of its own: compose keys and values valid at the cursor, and the description of the key
 * under it, from the compose-spec schema. Positions are 1-based like the rest of the contract; files that
 * are not compose files (by name, as the engine detects them) get no help.
 */
import { z } from 'zod';
import { defineRequest } from './define';
import { MAX_DEFINITION_BYTES, SourceRange } from './definitions';

const HelpInput = z.object({
  /** The file's path: its name says which kind of definition it is. */
  path: z.string().min(1).max(4096),
  content: z.string().max(MAX_DEFINITION_BYTES),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
});

/** How a key's value is written, so an editor can insert `key: `, `key:⏎  ` or `key:⏎  - `. */
const Shape = z.enum(['map', 'list', 'block', 'scalar', 'mixed']);

export const HelpCompletion = z.object({
  label: z.string(),
  kind: z.enum(['key', 'value']),
  description: z.string().nullable(),
  /** The JSON types the key takes, e.g. `string | map`. */
  type: z.string(),
  shape: Shape,
  deprecated: z.boolean(),
});
export type HelpCompletion = z.infer<typeof HelpCompletion>;

export const HoverHelp = z.object({
  key: z.string(),
  /** Where the key is, e.g. `services.web.ports[].target`. */
  path: z.string(),
  description: z.string().nullable(),
  type: z.string(),
  deprecated: z.boolean(),
  range: SourceRange,
});
export type HoverHelp = z.infer<typeof HoverHelp>;

export const definitionHelpRequests = {
  'definitions.complete': defineRequest({
    summary:
      'Compose keys (or values) valid at a position of unsaved text, with descriptions; `range` is the ' +
      'word they replace. Empty for files that are not compose files.',
    input: HelpInput,
    output: z.object({ items: z.array(HelpCompletion), range: SourceRange.nullable() }),
    http: { method: 'POST', path: '/containers/help/complete' },
    permission: 'authenticated',
  }),
  'definitions.hover': defineRequest({
    summary: 'The compose-spec description of the key at a position of unsaved text; null where there is none.',
    input: HelpInput,
    output: z.object({ hover: HoverHelp.nullable() }),
    http: { method: 'POST', path: '/containers/help/hover' },
    permission: 'authenticated',
  }),
};
