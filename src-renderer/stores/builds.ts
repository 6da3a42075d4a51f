import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  describeFailure,
  isBuildEvent,
  isFinished,
  type AnyEngineEvent,
  type Build,
  type BuildComparison,
  type BuildEvent,
  type BuildRequest,
  type DockerfileDefinition,
  type EngineLink,
} from '../bridge';
import { LogBuffer, omissionLine, type LogLine } from './build-logs';
import { applyBuildEvent, buildFromQueued, buildIdOf } from './build-timeline';

export interface BuildToast {
  id: string;
  build: Build;
}

export interface BuildHistory {
  repo: string | null;
  builds: readonly Build[];
  total: number;
  loading: boolean;
}

export interface ComparisonState {
  a: string;
  b: string;
  result: BuildComparison | undefined;
  problem: string | undefined;
}

export interface BuildsState {
  /** Every build this window follows, kept current by build.* events. */
  byId: Readonly<Record<string, Build>>;
  /** The build the build panel shows. */
  shown: string | null;
  history: BuildHistory;
  comparison: ComparisonState | null;
  /** Pending and running builds of every repository, for the rail's badge; kept current by build.* events. */
  active: Readonly<Record<string, 'pending' | 'running'>>;
  /** Finished builds to tell the user about, oldest first. */
  toasts: readonly BuildToast[];
  problem: string | undefined;
  /** The Dockerfiles of the work tree with their stages and ARGs, for the build form. */
  dockerfiles: { repo: string | null; list: readonly DockerfileDefinition[]; problem: string | undefined };
  loadDockerfiles(repo: string): Promise<void>;
  /** Queues a build and shows it; resolves to it, or undefined (with `problem`) when the engine refused. */
  start(request: BuildRequest): Promise<Build | undefined>;
  /**
   * Builds `dockerfile` at `ref` (a commit just made) with the request of its newest build, the last values
   * its build form had, or the defaults when it was never built; shown like `start`.
   */
  startAt(repo: string, dockerfile: string, ref: string): Promise<Build | undefined>;
  /** Reads the pending and running builds (at start and after the event stream comes back). */
  loadActive(): Promise<void>;
  /** Shows a build: its record and log so far from the engine, then its events. */
  show(repo: string, id: string): Promise<void>;
  /** Shows the newest build of a Dockerfile, if it has any. */
  showLatest(repo: string, dockerfile: string): Promise<void>;
  cancel(id: string): Promise<void>;
  /** The same request again (same ref, tags, args…), shown. */
  rebuild(id: string): Promise<Build | undefined>;
  loadHistory(repo: string | null): Promise<void>;
  compare(repo: string, a: string, b: string): Promise<void>;
  closeComparison(): void;
  dismissToast(id: string): void;
  clearProblem(): void;
  /** The build's log lines; the same buffer for the build's whole life, so a view can subscribe to it. */
  logsOf(id: string): LogBuffer;
  /** Feeds one engine event in (the composition root connects the stream). */
  handle(event: AnyEngineEvent): void;
}

export type BuildsStore = StoreApi<BuildsState>;

export interface BuildsOptions {
  /** Called once when a build this window knows finishes: the composition root raises a system notification. */
  onFinished?(build: Build): void;
}

const HISTORY_PAGE = 50;

/** The request that made a build, to run it again. */
export function requestOf(build: Build): BuildRequest {
  return {
    repo: build.repo,
    dockerfile: build.dockerfile,
    context: build.context,
    ref: build.worktree ? 'worktree' : build.ref,
    tags: build.tags,
    args: build.args,
    labels: build.labels,
    ...(build.target ? { target: build.target } : {}),
    no_cache: build.no_cache,
  };
}

export function createBuildsStore(link: EngineLink, options: BuildsOptions = {}): BuildsStore {
  const logs = new Map<string, LogBuffer>();
  /** Builds whose events this window saw from the start: their log needs no snapshot. */
  const followedFromStart = new Set<string>();
  /** Events that arrived while a build's record was being read, applied once it is in. */
  const waiting = new Map<string, BuildEvent[]>();
  /** While `builds.active` is in flight: what events said meanwhile, which outranks the older answer. */
  let activeSeen: Map<string, 'pending' | 'running' | 'ended'> | undefined;

  return createStore<BuildsState>()((set, get) => {
    const fail = (what: string, err: unknown) => set({ problem: `Could not ${what}: ${describeFailure(err)}` });
    const put = (build: Build) => set({ byId: { ...get().byId, [build.id]: build } });
    const logsOf = (id: string) => {
      let buffer = logs.get(id);
      if (!buffer) logs.set(id, (buffer = new LogBuffer()));
      return buffer;
    };

    const readLog = async (repo: string, id: string) => {
      const snapshot = await link.invoke('builds.logs', { repo, id });
      const lines: LogLine[] = [];
      for (const step of snapshot.steps) {
        for (const text of step.lines) lines.push({ step: step.id, text });
        // The engine keeps a step's first and last lines but does not say where the head ends, so the
        // count of those left out goes after the step rather than at a guessed place in it.
        if (step.omitted > 0) lines.push(omissionLine(step.id, step.omitted, 'between its first and last lines'));
      }
      logsOf(id).replace(lines);
    };

    const finished = (build: Build) => {
      set({ toasts: [...get().toasts.filter((t) => t.id !== build.id), { id: build.id, build }] });
      options.onFinished?.(build);
      if (get().history.repo === build.repo) void get().loadHistory(build.repo);
    };

    const track = (id: string, state: 'pending' | 'running' | 'ended') => {
      activeSeen?.set(id, state);
      const { [id]: before, ...others } = get().active;
      if (state === 'ended') {
        if (before) set({ active: others });
      } else if (before !== state) set({ active: { ...others, [id]: state } });
    };

    const onBuildEvent = (event: BuildEvent) => {
      const id = buildIdOf(event);
      if (event.type === 'build.queued') track(id, 'pending');
      else if (event.type === 'build.started') track(id, 'running');
      else if (event.type === 'build.completed' || event.type === 'build.failed' || event.type === 'build.cancelled')
        track(id, 'ended');
      if (event.type === 'build.step.log') {
        const { step, lines, omitted } = event.data;
        const appended: LogLine[] = omitted > 0 ? [omissionLine(step, omitted)] : [];
        for (const text of lines) appended.push({ step, text });
        logsOf(id).append(appended);
      }
      const queue = waiting.get(id);
      if (queue) {
        queue.push(event);
        return;
      }
      let build = get().byId[id];
      if (!build && event.type === 'build.queued') {
        build = buildFromQueued(event);
        followedFromStart.add(id);
        if (get().history.repo === build.repo) void get().loadHistory(build.repo);
      }
      if (!build) return;
      const next = applyBuildEvent(build, event);
      if (next === build) return;
      put(next);
      if (!isFinished(build.status) && isFinished(next.status)) finished(next);
    };

    return {
      byId: {},
      shown: null,
      history: { repo: null, builds: [], total: 0, loading: false },
      comparison: null,
      active: {},
      toasts: [],
      problem: undefined,
      dockerfiles: { repo: null, list: [], problem: undefined },

      async loadDockerfiles(repo) {
        // Reading again for the same repository keeps the list meanwhile, so choices do not flicker away.
        const kept = get().dockerfiles.repo === repo ? get().dockerfiles.list : [];
        set({ dockerfiles: { repo, list: kept, problem: undefined } });
        try {
          const { definitions } = await link.invoke('definitions.list', { repo, type: 'dockerfile' });
          const list = definitions.filter((d): d is DockerfileDefinition => d.type === 'dockerfile');
          if (get().dockerfiles.repo === repo) set({ dockerfiles: { repo, list, problem: undefined } });
        } catch (err) {
          set({ dockerfiles: { repo, list: [], problem: describeFailure(err) } });
        }
      },

      async start(request) {
        try {
          const build = await link.invoke('builds.create', request);
          // Its build.queued event may have come first and made a skeleton: the answer is the full record.
          followedFromStart.add(build.id);
          const known = get().byId[build.id];
          put(known ? { ...build, ...pick(known) } : build);
          set({ shown: build.id, problem: undefined });
          return get().byId[build.id];
        } catch (err) {
          fail(`start the build of ${request.dockerfile}`, err);
          return undefined;
        }
      },

      async startAt(repo, dockerfile, ref) {
        let base: BuildRequest = { repo, dockerfile };
        try {
          const { builds } = await link.invoke('builds.list', { repo, dockerfile, limit: 1 });
          if (builds[0]) base = requestOf(builds[0]);
        } catch (err) {
          fail(`read the last build of ${dockerfile}`, err);
          return undefined;
        }
        return get().start({ ...base, ref });
      },

      async loadActive() {
        const seen = new Map<string, 'pending' | 'running' | 'ended'>();
        activeSeen = seen;
        try {
          const { builds } = await link.invoke('builds.active', {});
          const active: Record<string, 'pending' | 'running'> = {};
          for (const build of builds) {
            if (build.status === 'pending' || build.status === 'running') active[build.id] = build.status;
          }
          for (const [id, state] of seen) {
            if (state === 'ended') delete active[id];
            else active[id] = state;
          }
          if (activeSeen === seen) set({ active });
        } catch (err) {
          fail('list the running builds', err);
        } finally {
          if (activeSeen === seen) activeSeen = undefined;
        }
      },

      async show(repo, id) {
        set({ shown: id });
        if (followedFromStart.has(id) && get().byId[id]) return;
        waiting.set(id, []);
        try {
          const [build] = await Promise.all([link.invoke('builds.get', { repo, id }), readLog(repo, id)]);
          const events = waiting.get(id) ?? [];
          waiting.delete(id);
          put(events.reduce(applyBuildEvent, build));
          followedFromStart.add(id);
        } catch (err) {
          waiting.delete(id);
          fail(`read build ${id}`, err);
        }
      },

      async showLatest(repo, dockerfile) {
        try {
          const { builds } = await link.invoke('builds.list', { repo, dockerfile, limit: 1 });
          const latest = builds[0];
          if (latest) await get().show(repo, latest.id);
        } catch (err) {
          fail(`list the builds of ${dockerfile}`, err);
        }
      },

      async cancel(id) {
        const build = get().byId[id];
        if (!build) return;
        try {
          const after = await link.invoke('builds.cancel', { repo: build.repo, id });
          const current = get().byId[id] ?? build;
          if (!isFinished(current.status)) {
            put(after);
            finished(after);
          }
        } catch (err) {
          fail(`cancel build ${id}`, err);
        }
      },

      async rebuild(id) {
        const build = get().byId[id];
        return build ? get().start(requestOf(build)) : undefined;
      },

      async loadHistory(repo) {
        if (repo !== get().history.repo) set({ history: { repo, builds: [], total: 0, loading: repo !== null } });
        if (!repo) return;
        set({ history: { ...get().history, loading: true } });
        try {
          const page = await link.invoke('builds.list', { repo, limit: HISTORY_PAGE });
          if (get().history.repo !== repo) return;
          set({ history: { repo, builds: page.builds, total: page.total, loading: false } });
        } catch (err) {
          set({ history: { ...get().history, loading: false } });
          fail(`list the builds of ${repo}`, err);
        }
      },

      async compare(repo, a, b) {
        set({ comparison: { a, b, result: undefined, problem: undefined } });
        try {
          const result = await link.invoke('builds.compare', { repo, id: a, other: b });
          if (get().comparison?.a === a && get().comparison?.b === b) {
            set({ comparison: { a, b, result, problem: undefined } });
          }
        } catch (err) {
          set({ comparison: { a, b, result: undefined, problem: describeFailure(err) } });
        }
      },

      closeComparison: () => set({ comparison: null }),
      dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
      clearProblem: () => set({ problem: undefined }),
      logsOf,

      handle(event) {
        if (isBuildEvent(event)) onBuildEvent(event);
      },
    };
  });
}

/** What events may already have told us that the create answer (taken earlier) does not know. */
function pick(known: Build): Partial<Build> {
  if (known.status === 'pending') return {};
  const { status, steps, started_at, finished_at, duration_ms, digest, size, cached_steps, error } = known;
  return { status, steps, started_at, finished_at, duration_ms, digest, size, cached_steps, error };
}
