/**
 * Compose files: services with what they build or run, checked against the official compose-spec schema
 * with each schema error placed on its YAML node.
 */
import type { Diagnostic, SummaryOf } from '../../../src-shared/contract/definitions';
import { validateCompose } from './compose-schema';
import { schemaDiagnostics } from './schema-errors';
import { isObj, nodeRange, locate, parseYaml, str, strings, type Obj, type YamlText } from './yaml-text';

type Summary = SummaryOf<'compose'>;
type Service = Summary['services'][number];

export function analyzeCompose(text: string): { summary: Summary; diagnostics: Diagnostic[] } {
  const y = parseYaml(text);
  const summary: Summary = { name: null, services: [], volumes: [], networks: [] };
  const diagnostics = [...y.diagnostics];
  const first = y.docs[0];
  if (y.docs.length > 1) {
    diagnostics.push(
      govc(
        y,
        'warning',
        'compose/multiple-documents',
        'Only the first YAML document of a compose file is used',
        y.docs[1]!.doc.contents,
      ),
    );
  }
  if (!first || first.value === undefined) return { summary, diagnostics };
  const root = first.value;
  if (!isObj(root)) {
    diagnostics.push(
      govc(
        y,
        'error',
        'compose/not-a-mapping',
        'A compose file must be a mapping (with services:)',
        first.doc.contents,
      ),
    );
    return { summary, diagnostics };
  }
  diagnostics.push(
    ...schemaDiagnostics(validateCompose(root), y, first.doc, { rule: 'compose/schema', source: 'compose-spec' }),
  );
  summary.name = str(root.name);
  summary.volumes = isObj(root.volumes) ? Object.keys(root.volumes) : [];
  summary.networks = isObj(root.networks) ? Object.keys(root.networks) : [];
  if (isObj(root.services)) {
    for (const [name, service] of Object.entries(root.services)) {
      const where = locate(first.doc, ['services', name]);
      summary.services.push(serviceOf(name, isObj(service) ? service : {}, nodeRange(y, where.key ?? where.node)));
    }
  }
  return { summary, diagnostics };
}

function govc(
  y: YamlText,
  severity: Diagnostic['severity'],
  rule: string,
  message: string,
  node: Parameters<typeof nodeRange>[1],
): Diagnostic {
  return { severity, message, range: nodeRange(y, node), rule, source: 'govc' };
}

function serviceOf(name: string, s: Obj, range: Service['range']): Service {
  return {
    name,
    image: str(s.image),
    build: buildOf(s.build),
    ports: Array.isArray(s.ports) ? s.ports.map(portOf).filter((p): p is string => p !== null) : [],
    depends_on: Array.isArray(s.depends_on)
      ? strings(s.depends_on)
      : isObj(s.depends_on)
        ? Object.keys(s.depends_on)
        : [],
    volumes: Array.isArray(s.volumes) ? s.volumes.map(volumeOf).filter((v): v is string => v !== null) : [],
    env_files: envFilesOf(s.env_file),
    range,
  };
}

function buildOf(build: unknown): Service['build'] {
  const context = str(build);
  if (context !== null) return { context, dockerfile: 'Dockerfile', target: null };
  if (!isObj(build)) return null;
  const inline = build.dockerfile_inline !== undefined;
  return {
    context: str(build.context) ?? '.',
    dockerfile: inline ? null : (str(build.dockerfile) ?? 'Dockerfile'),
    target: str(build.target),
  };
}

/** Short syntax as written; the long syntax folded into the same `[ip:]published:target/protocol` form. */
function portOf(p: unknown): string | null {
  const short = str(p);
  if (short !== null) return short;
  if (!isObj(p)) return null;
  const target = str(p.target);
  if (target === null) return null;
  const published = str(p.published);
  const host = published === null ? '' : `${p.host_ip ? `${str(p.host_ip)}:` : ''}${published}:`;
  return `${host}${target}${p.protocol ? `/${str(p.protocol)}` : ''}`;
}

function volumeOf(v: unknown): string | null {
  const short = str(v);
  if (short !== null) return short;
  if (!isObj(v)) return null;
  const target = str(v.target);
  if (target === null) return null;
  const source = str(v.source);
  return source === null ? target : `${source}:${target}`;
}

function envFilesOf(e: unknown): string[] {
  const one = str(e);
  if (one !== null) return [one];
  if (!Array.isArray(e)) return [];
  return e.map((x) => str(x) ?? (isObj(x) ? str(x.path) : null)).filter((x): x is string => x !== null);
}
