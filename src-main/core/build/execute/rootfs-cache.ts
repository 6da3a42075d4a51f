/**
 * A stage's working rootfs, materialised only when a step needs the filesystem (RUN, COPY, another stage
 * copying from it) and then kept in step with the stage's layers: steps that ran in it mark their layer
 * applied, cached steps' layers are applied on the next use.
 */
import type { Descriptor } from '../oci/types';
import { createScratch, materialise, type Scratch } from '../sandbox/rootfs';
import type { ContentStore } from '../store/content-store';

export class WorkingRootfs {
  private scratch: Scratch | undefined;
  private applied = 0;

  constructor(
    private readonly store: ContentStore,
    private readonly layers: readonly Descriptor[],
  ) {}

  /** The rootfs with every layer so far applied. */
  async path(): Promise<string> {
    this.scratch ??= await createScratch();
    await materialise(this.store, this.layers.slice(this.applied), this.scratch.rootfs);
    this.applied = this.layers.length;
    return this.scratch.rootfs;
  }

  /** The step that just ran changed the rootfs itself; its new layer needs no applying. */
  markCurrent(): void {
    this.applied = this.layers.length;
  }

  async dispose(): Promise<void> {
    await this.scratch?.dispose();
    this.scratch = undefined;
  }
}
