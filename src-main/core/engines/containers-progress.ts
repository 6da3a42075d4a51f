/**
 * Progress of `buildah bud` and `podman build` (the same builder): step headers, command output, cache
 * lines and errors, as text lines, turned into build events.
 *
 * ```
 * [1/2] STEP 2/2: RUN make          a step (the `[stage/stages]` prefix only in multi-stage builds)
 * --> Using cache 5dd9235d73ee…     the step was a cache hit
 * --> 5dd9235d73e                   the step committed an image: it is done
 * [2/2] COMMIT app                  the final image is written (a step still open is done)
 * Error: building at STEP "RUN make": exit status 2
 * ```
 */
import type { EventSink, ProgressParser } from './types';

const STEP = /^(?:\[(\d+)\/(\d+)\] )?STEP (\d+)\/(\d+): (.*)$/;
const USING_CACHE = /^--> Using cache [0-9a-f]+/;
const COMMITTED = /^--> [0-9a-f]+$/;
const COMMIT = /^(?:\[\d+\/\d+\] )?COMMIT(?: |$)/;
const FROM_AS = /^FROM\s.*\sAS\s+(\S+)\s*$/i;
const ERROR = /^Error: (.*)$/;

interface OpenStep {
  id: number;
  started: number;
}

export class ContainersProgress implements ProgressParser {
  private nextId = 0;
  private open: OpenStep | null = null;
  private readonly stageNames = new Map<number, string>();
  private readonly errors: string[] = [];

  constructor(
    private readonly emit: EventSink,
    private readonly now: () => number = Date.now,
  ) {}

  line(text: string): void {
    const step = STEP.exec(text);
    if (step) {
      this.close('done');
      const stage = step[1] === undefined ? 0 : Number(step[1]) - 1;
      const position = Number(step[3]);
      const instruction = step[5]!;
      if (position === 1) {
        const named = FROM_AS.exec(instruction);
        this.stageNames.set(stage, named ? named[1]!.toLowerCase() : `stage-${stage}`);
      }
      const id = ++this.nextId;
      this.open = { id, started: this.now() };
      this.emit({
        type: 'step',
        id,
        stage: this.stageNames.get(stage) ?? `stage-${stage}`,
        position,
        total: Number(step[4]),
        text: instruction,
      });
      return;
    }
    if (USING_CACHE.test(text)) return this.close('cached');
    if (COMMITTED.test(text) || COMMIT.test(text)) return this.close('done');
    const error = ERROR.exec(text);
    if (error) {
      this.errors.push(error[1]!);
      return;
    }
    if (this.open) this.emit({ type: 'output', id: this.open.id, stream: 'stdout', text: `${text}\n` });
  }

  end(outcome: { code: number | null; cancelled: boolean }): void {
    if (outcome.code === 0 && !outcome.cancelled) this.close('done');
    else this.close('failed', outcome.cancelled ? 'cancelled' : (this.errorMessage() ?? `exit status ${outcome.code}`));
  }

  errorMessage(): string | undefined {
    return this.errors.length > 0 ? this.errors.join('\n') : undefined;
  }

  private close(how: 'done' | 'cached' | 'failed', message = ''): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    const seconds = (this.now() - open.started) / 1000;
    if (how === 'cached') this.emit({ type: 'cached', id: open.id });
    else if (how === 'done') this.emit({ type: 'done', id: open.id, seconds });
    else this.emit({ type: 'failed', id: open.id, seconds, message });
  }
}
