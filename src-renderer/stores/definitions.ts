/**
 * The sidebar's DEFINITIONS section: the selected repository's container definitions grouped by kind, each
 * with a one-line summary and its problem counts, and the relations between them (which service builds
 * which Dockerfile, which workload uses which image). definition.* events keep it current.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  DEFINITION_KINDS,
  describeFailure,
  isDefinitionEvent,
  type AnyEngineEvent,
  type Definition,
  type DefinitionEdge,
  type DefinitionKind,
  type EngineLink,
} from '../bridge';

export interface DefinitionGroup {
  kind: DefinitionKind;
  definitions: readonly Definition[];
}

export interface DefinitionsState {
  repo: string | null;
  definitions: readonly Definition[];
  edges: readonly DefinitionEdge[];
  loading: boolean;
  problem: string | undefined;
  /** Reads the repository's definitions and relations; answers that arrive after a newer load are dropped. */
  load(repo: string | null): Promise<void>;
  handle(event: AnyEngineEvent): void;
  /** Follows the engine's definition.* events; returns what stops following. */
  attach(): () => void;
}

export type DefinitionsStore = StoreApi<DefinitionsState>;

/** Kinds in the engine's order, empty ones left out, each group sorted by path. */
export function groupByKind(definitions: readonly Definition[]): DefinitionGroup[] {
  return DEFINITION_KINDS.map((kind) => ({
    kind,
    definitions: definitions.filter((d) => d.type === kind).sort((a, b) => a.path.localeCompare(b.path)),
  })).filter((group) => group.definitions.length > 0);
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** Past this many, a list of names in a summary ends in "+N more" to stay on one line. */
const NAMES_SHOWN = 3;

function names(items: readonly string[]): string {
  const shown = items.slice(0, NAMES_SHOWN).join(', ');
  return items.length > NAMES_SHOWN ? `${shown} +${items.length - NAMES_SHOWN} more` : shown;
}

/** One line that tells definitions of a kind apart: "2 stages, :8080", "3 services", "chart web 1.2.0". */
export function summaryOf(definition: Definition): string {
  switch (definition.type) {
    case 'dockerfile': {
      const { stages, ports, user } = definition.summary;
      const exposed = [
        ...new Set(ports.map((p) => (p.protocol === 'tcp' ? `:${p.port}` : `:${p.port}/${p.protocol}`))),
      ];
      return [plural(stages.length, 'stage'), ...exposed, ...(user ? [`user ${user.value}`] : [])].join(', ');
    }
    case 'compose':
      return plural(definition.summary.services.length, 'service');
    case 'kubernetes': {
      const objects = definition.summary.objects.map((o) => (o.name ? `${o.kind} ${o.name}` : o.kind));
      return objects.length > 0 ? names(objects) : 'no objects';
    }
    case 'kustomize': {
      const { resources, images } = definition.summary;
      return [plural(resources.length, 'resource'), ...(images.length ? [plural(images.length, 'image')] : [])].join(
        ', ',
      );
    }
    case 'helm': {
      const { name, version } = definition.summary;
      return ['chart', name ?? '(unnamed)', ...(version ? [version] : [])].join(' ');
    }
  }
}

/** "compose.yaml web builds app/Dockerfile", "k8s.yaml Deployment/web uses nginx:1.27". */
export function describeEdge(edge: DefinitionEdge): string {
  const from = `${edge.from.path} ${edge.from.name}`;
  if (edge.kind === 'builds') return `${from} builds ${edge.dockerfile ?? 'an inline Dockerfile'}`;
  const builtBy = edge.dockerfile ? ` (built by ${edge.dockerfile})` : '';
  return `${from} uses ${edge.image ?? 'an unnamed image'}${builtBy}`;
}

export function createDefinitionsStore(link: EngineLink): DefinitionsStore {
  let generation = 0;

  return createStore<DefinitionsState>()((set, get) => ({
    repo: null,
    definitions: [],
    edges: [],
    loading: false,
    problem: undefined,

    async load(repo) {
      const mine = ++generation;
      if (repo !== get().repo) set({ repo, definitions: [], edges: [] });
      if (!repo) {
        set({ loading: false, problem: undefined });
        return;
      }
      set({ loading: true });
      try {
        const [list, graph] = await Promise.all([
          link.invoke('definitions.list', { repo }),
          link.invoke('definitions.graph', { repo }),
        ]);
        if (mine !== generation) return;
        set({ definitions: list.definitions, edges: graph.edges, loading: false, problem: undefined });
      } catch (err) {
        if (mine !== generation) return;
        set({ loading: false, problem: `Could not read the definitions of ${repo}: ${describeFailure(err)}` });
      }
    },

    handle(event) {
      const { repo } = get();
      if (!repo || event.repo !== repo || !isDefinitionEvent(event)) return;
      // The event carries the definition, so the list follows at once; relations span files and are asked
      // for again (the load answers with the list too, which settles any event missed in between).
      const path = event.type === 'definition.removed' ? event.data.path : event.data.definition.path;
      const others = get().definitions.filter((d) => d.path !== path);
      set({ definitions: event.type === 'definition.removed' ? others : [...others, event.data.definition] });
      void get().load(repo);
    },

    attach() {
      return link.onEvent((event) => get().handle(event));
    },
  }));
}
