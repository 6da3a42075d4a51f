/**
 * Container definitions: the Dockerfiles, Compose files, Kubernetes manifests, Kustomizations and Helm
 * charts of a repository, detected, summarised and validated by the engine. Ranges are 1-based; `end` is
 * the position just after the last character (Monaco's convention), so an editor can use them as they are.
 * Content travels as UTF-8 text.
 */
import { z } from 'zod';
import { defineRequest } from './define';

export const DEFINITION_TYPES = ['dockerfile', 'compose', 'kubernetes', 'kustomize', 'helm'] as const;
export const DefinitionType = z.enum(DEFINITION_TYPES);
export type DefinitionType = z.infer<typeof DefinitionType>;

/** The largest definition file the engine reads, writes or parses. */
export const MAX_DEFINITION_BYTES = 1024 * 1024;

const Position = z.object({ line: z.number().int(), column: z.number().int() });
export const SourceRange = z.object({ start: Position, end: Position });
export type SourceRange = z.infer<typeof SourceRange>;

export const Diagnostic = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  range: SourceRange,
  /** Stable rule id, e.g. `yaml/syntax`, `compose/schema`, `dockerfile/unknown-instruction`. */
  rule: z.string(),
  /** What produced it: `dockerfile-utils`, `compose-spec`, `yaml`, `govc`. */
  source: z.string(),
  /** The file it is in when that is not the definition's own path (a Helm chart's values file). */
  file: z.string().optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

const Located = { range: SourceRange };

export const DockerfileSummary = z.object({
  stages: z.array(
    z.object({
      index: z.number(),
      name: z.string().nullable(),
      /** The base image as written (variables unexpanded), or null when FROM has none. */
      image: z.string().nullable(),
      /** Set when the base is an earlier stage of this Dockerfile. */
      baseStage: z.number().nullable(),
      platform: z.string().nullable(),
      ...Located,
    }),
  ),
  /** ARGs; `stage` null for those before the first FROM (usable in FROM lines). */
  args: z.array(
    z.object({ name: z.string(), default: z.string().nullable(), stage: z.number().nullable(), ...Located }),
  ),
  ports: z.array(z.object({ port: z.string(), protocol: z.string(), stage: z.number(), ...Located })),
  /** CMD, ENTRYPOINT and USER in effect for the final stage (the last one written there). */
  cmd: z.object({ value: z.string(), form: z.enum(['exec', 'shell']), ...Located }).nullable(),
  entrypoint: z.object({ value: z.string(), form: z.enum(['exec', 'shell']), ...Located }).nullable(),
  user: z.object({ value: z.string(), ...Located }).nullable(),
  /** COPY --from: the stage copying, and the stage (or outside image) it copies from. */
  copies: z.array(z.object({ stage: z.number(), from: z.string(), fromStage: z.number().nullable(), ...Located })),
});

/** `dockerfile` is null for an inline Dockerfile (dockerfile_inline). */
const ComposeBuild = z.object({
  context: z.string(),
  dockerfile: z.string().nullable(),
  target: z.string().nullable(),
});

export const ComposeSummary = z.object({
  name: z.string().nullable(),
  services: z.array(
    z.object({
      name: z.string(),
      image: z.string().nullable(),
      build: ComposeBuild.nullable(),
      ports: z.array(z.string()),
      depends_on: z.array(z.string()),
      volumes: z.array(z.string()),
      env_files: z.array(z.string()),
      ...Located,
    }),
  ),
  volumes: z.array(z.string()),
  networks: z.array(z.string()),
});

const Container = z.object({
  name: z.string().nullable(),
  image: z.string().nullable(),
  init: z.boolean(),
  ports: z.array(z.object({ port: z.number().nullable(), protocol: z.string(), name: z.string().nullable() })),
  ...Located,
});

export const KubernetesSummary = z.object({
  objects: z.array(
    z.object({
      apiVersion: z.string(),
      kind: z.string(),
      name: z.string().nullable(),
      namespace: z.string().nullable(),
      /** Index of the YAML document in the file. */
      document: z.number(),
      containers: z.array(Container),
      ...Located,
    }),
  ),
});

export const KustomizeSummary = z.object({
  namespace: z.string().nullable(),
  resources: z.array(z.string()),
  components: z.array(z.string()),
  images: z.array(
    z.object({
      name: z.string(),
      newName: z.string().nullable(),
      newTag: z.string().nullable(),
      digest: z.string().nullable(),
    }),
  ),
  patches: z.number(),
  /** Patch files it names (`patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`), as written. */
  patchFiles: z.array(z.string()),
});

export const HelmSummary = z.object({
  apiVersion: z.string().nullable(),
  name: z.string().nullable(),
  version: z.string().nullable(),
  appVersion: z.string().nullable(),
  description: z.string().nullable(),
  chartType: z.string().nullable(),
  dependencies: z.array(
    z.object({
      name: z.string(),
      version: z.string().nullable(),
      repository: z.string().nullable(),
      condition: z.string().nullable(),
      alias: z.string().nullable(),
    }),
  ),
  /** values*.yaml files of the chart, relative to the repository root. */
  values: z.array(z.string()),
  templates: z.array(z.string()),
  /** Images named in the values files: `image: repo:tag` or `{registry?, repository, tag?}` maps. */
  images: z.array(z.object({ image: z.string(), file: z.string(), key: z.string(), ...Located })),
});

const Common = {
  /** The file the definition is at; for a Helm chart its Chart.yaml. */
  path: z.string(),
  /** Content id of that file (git blob id). */
  oid: z.string(),
  size: z.number(),
  /** Every file the definition is made of (a chart's values and templates too). */
  files: z.array(z.string()),
  diagnostics: z.array(Diagnostic),
  errors: z.number(),
  warnings: z.number(),
};

export const Definition = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dockerfile'), summary: DockerfileSummary, ...Common }),
  z.object({ type: z.literal('compose'), summary: ComposeSummary, ...Common }),
  z.object({ type: z.literal('kubernetes'), summary: KubernetesSummary, ...Common }),
  z.object({ type: z.literal('kustomize'), summary: KustomizeSummary, ...Common }),
  z.object({ type: z.literal('helm'), summary: HelmSummary, ...Common }),
]);
export type Definition = z.infer<typeof Definition>;
export type DefinitionOf<T extends DefinitionType> = Extract<Definition, { type: T }>;
export type SummaryOf<T extends DefinitionType> = DefinitionOf<T>['summary'];

const GraphNode = z.object({
  path: z.string(),
  type: DefinitionType,
  /** The compose service or Kubernetes object (`Kind/name`) inside the definition. */
  name: z.string(),
});

export const GraphEdge = z.object({
  /** `builds`: a compose service builds a Dockerfile; `uses`: a service or workload runs an image. */
  kind: z.enum(['builds', 'uses']),
  from: GraphNode,
  /** The Dockerfile built, or for `uses` the Dockerfile that builds the image when one is known. */
  dockerfile: z.string().nullable(),
  image: z.string().nullable(),
  /** The file `range` is in (for a chart, the values file naming the image). */
  file: z.string(),
  range: SourceRange,
});
export type GraphEdge = z.infer<typeof GraphEdge>;

const repo = z.string().min(1).max(64);
const path = z.string().min(1).max(4096);
const ref = z.string().min(1).max(256).optional();
const content = z.string().max(16 * 1024 * 1024);
const message = z
  .string()
  .min(1)
  .max(1024 * 1024)
  .optional();
const Author = z.object({ name: z.string().min(1).max(256), email: z.string().max(256) });

const WriteResult = z.object({
  definition: Definition,
  /**
   * The commit made when a message was given (anything staged before is committed with it, as with git);
   * null when the change was only staged, or left nothing to commit.
   */
  commit: z.string().nullable(),
});

export const definitionRequests = {
  'definitions.list': defineRequest({
    summary:
      'Container definitions of the work tree (uncommitted changes included), or of a revision with ref; ' +
      'type filters by kind.',
    input: z.object({ repo, type: DefinitionType.optional(), ref }),
    output: z.object({ definitions: z.array(Definition), count: z.number() }),
    http: { method: 'GET', path: '/repos/{repo}/containers/definitions' },
    permission: 'repo:read',
  }),
  'definitions.get': defineRequest({
    summary: 'One definition with its summary, diagnostics and text (a Helm chart: its Chart.yaml).',
    input: z.object({ repo, path, ref }),
    output: z.object({ definition: Definition, content: z.string() }),
    http: { method: 'GET', path: '/repos/{repo}/containers/definitions/{path...}' },
    permission: 'repo:read',
  }),
  'definitions.create': defineRequest({
    summary:
      'Writes a new definition file. With a message it is committed, otherwise staged. The content must be ' +
      'a definition (NOT_A_DEFINITION) of `type` when given (DEFINITION_TYPE_MISMATCH); a file already at ' +
      'the path is DEFINITION_EXISTS (use PUT). Files of a Helm chart (values, templates) are accepted.',
    input: z.object({ repo, path, content, type: DefinitionType.optional(), message, author: Author.optional() }),
    output: WriteResult,
    http: { method: 'POST', path: '/repos/{repo}/containers/definitions', status: 201 },
    permission: 'repo:write',
  }),
  'definitions.update': defineRequest({
    summary: 'Replaces the text of an existing definition; with a message it is committed, otherwise staged.',
    input: z.object({ repo, path, content, type: DefinitionType.optional(), message, author: Author.optional() }),
    output: WriteResult,
    http: { method: 'PUT', path: '/repos/{repo}/containers/definitions/{path...}' },
    permission: 'repo:write',
  }),
  'definitions.delete': defineRequest({
    summary:
      'Deletes a definition (a Helm chart: its Chart.yaml, values files and templates); with a message the ' +
      'deletion is committed, otherwise staged.',
    input: z.object({ repo, path, message }),
    output: z.object({
      path: z.string(),
      type: DefinitionType,
      deleted: z.array(z.string()),
      commit: z.string().nullable(),
    }),
    http: { method: 'DELETE', path: '/repos/{repo}/containers/definitions/{path...}' },
    permission: 'repo:write',
  }),
  'definitions.graph': defineRequest({
    summary:
      'Which compose service or Kubernetes workload builds which Dockerfile or uses which image, across the ' +
      "repository's definitions; an image a compose service both builds and tags is matched to its Dockerfile.",
    input: z.object({ repo, ref }),
    output: z.object({ edges: z.array(GraphEdge), count: z.number() }),
    http: { method: 'GET', path: '/repos/{repo}/containers/graph' },
    permission: 'repo:read',
  }),
};

const Removed = z.object({ path: z.string(), type: DefinitionType });

export const definitionEvents = {
  'definition.added': z.object({ definition: Definition }),
  'definition.changed': z.object({ definition: Definition }),
  'definition.removed': Removed,
};
