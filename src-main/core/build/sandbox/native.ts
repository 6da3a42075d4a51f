/**
 * The native executor a build uses: bubblewrap where it is installed, else unshare + chroot when running as
 * root on Linux. `GOVC_SANDBOX=bubblewrap|unshare-chroot` forces one (tests, or a host where one misbehaves).
 */
import { GovcError } from '../../../../src-shared/errors';
import { BubblewrapExecutor } from './bubblewrap';
import type { Availability, Executor, RunOutcome, RunSpec } from './executor';
import { UnshareChrootExecutor } from './unshare-chroot';

export class NativeExecutor implements Executor {
  private chosen: Executor | undefined;
  private reason = '';

  constructor(private readonly candidates: readonly Executor[] = candidatesFor(process.env.GOVC_SANDBOX)) {}

  /** The executor in use (after the first availability check): `bubblewrap` or `unshare-chroot`. */
  get name(): string {
    return this.pick()?.name ?? 'none';
  }

  availability(): Availability {
    return this.pick() ? { ok: true } : { ok: false, reason: this.reason };
  }

  run(spec: RunSpec): Promise<RunOutcome> {
    const executor = this.pick();
    if (!executor) return Promise.reject(new GovcError('SANDBOX_UNAVAILABLE', this.reason));
    return executor.run(spec);
  }

  private pick(): Executor | undefined {
    if (this.chosen) return this.chosen;
    const refusals: string[] = [];
    for (const candidate of this.candidates) {
      const available = candidate.availability();
      if (available.ok) return (this.chosen = candidate);
      refusals.push(`${candidate.name}: ${available.reason}`);
    }
    this.reason = `No sandbox can run RUN here (${refusals.join('; ')})`;
    return undefined;
  }
}

function candidatesFor(forced: string | undefined): Executor[] {
  if (forced === 'bubblewrap') return [new BubblewrapExecutor()];
  if (forced === 'unshare-chroot') return [new UnshareChrootExecutor()];
  return [new BubblewrapExecutor(), new UnshareChrootExecutor()];
}
