/**
 * Orderly shutdown: services register a step as they start, and `run` undoes them in reverse order, once,
 * however many quit paths (window close, Cmd+Q, SIGTERM, SIGINT) ask for it. A step that fails or hangs is
 * reported and skipped so that the remaining steps, and the exit, still happen.
 */

export interface ShutdownStep {
  name: string;
  run(reason: string): Promise<void> | void;
}

export interface ShutdownOptions {
  /** How long one step may take before it is abandoned. */
  stepTimeoutMs?: number;
  onStepFailed?: (name: string, error: unknown) => void;
}

export class Shutdown {
  private readonly steps: ShutdownStep[] = [];
  private running: Promise<boolean> | undefined;
  private readonly stepTimeoutMs: number;

  constructor(private readonly options: ShutdownOptions = {}) {
    this.stepTimeoutMs = options.stepTimeoutMs ?? 10_000;
  }

  get started(): boolean {
    return this.running !== undefined;
  }

  add(step: ShutdownStep): void {
    if (this.running) throw new Error(`Cannot add "${step.name}": shutdown has started`);
    this.steps.push(step);
  }

  /** Runs every step, last added first; resolves true when all of them succeeded. */
  run(reason: string): Promise<boolean> {
    this.running ??= this.runSteps(reason);
    return this.running;
  }

  private async runSteps(reason: string): Promise<boolean> {
    let clean = true;
    for (const step of [...this.steps].reverse()) {
      try {
        await this.withTimeout(step, reason);
      } catch (err) {
        clean = false;
        this.options.onStepFailed?.(step.name, err);
      }
    }
    return clean;
  }

  private async withTimeout(step: ShutdownStep, reason: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`took longer than ${this.stepTimeoutMs} ms`)), this.stepTimeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(() => step.run(reason)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
