/**
 * The Images view's state: the engine's local images, the selected one's details, and the one action
 * (export, delete, push, pull, sign) running at a time with its transfer progress.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { describeFailure, type AnyEngineEvent, type EngineLink } from '../bridge';
import {
  changesImages,
  isTransferProgress,
  type ImageDetail,
  type ImageExportFormat,
  type ImageSummary,
  type TransferProgress,
} from '../bridge/images';

export type ImageActionKind = 'export' | 'delete' | 'push' | 'pull' | 'sign';

export type ImageAction =
  | { phase: 'idle' }
  | { phase: 'running'; kind: ImageActionKind; target: string }
  | { phase: 'done'; kind: ImageActionKind; target: string; message: string }
  | { phase: 'failed'; kind: ImageActionKind; target: string; problem: string };

/** Bytes moved per blob of the running push or pull, by digest. */
export type Transfers = Record<string, Pick<TransferProgress, 'state' | 'bytes' | 'total'>>;

export interface ImagesState {
  images: ImageSummary[];
  loading: boolean;
  problem: string | undefined;
  /** The selected image's digest; details load for it. */
  selected: string | undefined;
  detail: ImageDetail | undefined;
  detailProblem: string | undefined;
  action: ImageAction;
  transfers: Transfers;
  refresh(): Promise<void>;
  select(digest: string | undefined): Promise<void>;
  exportImage(ref: string, format: ImageExportFormat, dest: string): Promise<void>;
  deleteImage(ref: string): Promise<void>;
  push(ref: string, destination: string): Promise<void>;
  pull(reference: string): Promise<void>;
  /** Signs with the engine's key; a policy with signing.required wants this before a push. */
  sign(ref: string): Promise<void>;
  handle(event: AnyEngineEvent): void;
  /** Follows the engine's events and loads the list; returns what stops following. */
  attach(): () => void;
}

export type ImagesStore = StoreApi<ImagesState>;

export function createImagesStore(link: EngineLink): ImagesStore {
  return createStore<ImagesState>()((set, get) => {
    /** Runs one action; a second one waits for none, it is refused while the first runs. */
    async function run(kind: ImageActionKind, target: string, work: () => Promise<string>): Promise<void> {
      if (get().action.phase === 'running') return;
      set({ action: { phase: 'running', kind, target }, transfers: {} });
      try {
        const message = await work();
        set({ action: { phase: 'done', kind, target, message } });
      } catch (err) {
        set({ action: { phase: 'failed', kind, target, problem: describeFailure(err) } });
      }
    }

    return {
      images: [],
      loading: false,
      problem: undefined,
      selected: undefined,
      detail: undefined,
      detailProblem: undefined,
      action: { phase: 'idle' },
      transfers: {},

      async refresh() {
        set({ loading: true });
        try {
          const { images } = await link.invoke('images.list', {});
          const selected = get().selected;
          const stillThere = selected !== undefined && images.some((i) => i.digest === selected);
          set({ images, problem: undefined, loading: false });
          if (selected !== undefined && !stillThere) set({ selected: undefined, detail: undefined });
        } catch (err) {
          set({ problem: describeFailure(err), loading: false });
        }
      },

      async select(digest) {
        set({ selected: digest, detail: undefined, detailProblem: undefined });
        if (digest === undefined) return;
        try {
          const detail = await link.invoke('images.get', { ref: digest });
          // A later selection wins over this answer arriving late.
          if (get().selected === digest) set({ detail });
        } catch (err) {
          if (get().selected === digest) set({ detailProblem: describeFailure(err) });
        }
      },

      exportImage(ref, format, dest) {
        return run('export', ref, async () => {
          await link.invoke('images.export', { ref, format, dest });
          return `Exported ${ref} as ${format} to ${dest} on the engine's machine`;
        });
      },

      deleteImage(ref) {
        return run('delete', ref, async () => {
          const { untagged } = await link.invoke('images.delete', { ref });
          await get().refresh();
          return `Deleted ${untagged.join(', ')}`;
        });
      },

      push(ref, destination) {
        return run('push', destination, async () => {
          const r = await link.invoke('images.push', { ref, destination });
          const signed = r.signatures ? `, ${r.signatures} signature${r.signatures === 1 ? '' : 's'} with it` : '';
          return `Pushed ${ref} to ${destination}: ${r.uploaded} uploaded, ${r.skipped + r.mounted} already there${signed}`;
        });
      },

      pull(reference) {
        return run('pull', reference, async () => {
          const { name } = await link.invoke('images.pull', { reference });
          await get().refresh();
          return `Pulled ${reference} as ${name}`;
        });
      },

      sign(ref) {
        return run('sign', ref, async () => {
          const r = await link.invoke('images.sign', { ref });
          return `Signed ${ref} with key ${r.key_id ?? '?'} (signature ${r.digest.slice(7, 19)})`;
        });
      },

      handle(event) {
        if (changesImages(event)) {
          void get().refresh();
          return;
        }
        const action = get().action;
        if (!isTransferProgress(event) || action.phase !== 'running') return;
        if (action.kind !== event.data.direction) return;
        const { digest, state, bytes, total } = event.data;
        set({ transfers: { ...get().transfers, [digest]: { state, bytes, total } } });
      },

      attach() {
        const stop = link.onEvent((event) => get().handle(event));
        void get().refresh();
        return stop;
      },
    };
  });
}

/** Bytes moved and to move over every blob of the transfer, for one progress bar. */
export function transferTotals(transfers: Transfers): { bytes: number; total: number; blobs: number } {
  let bytes = 0;
  let total = 0;
  for (const t of Object.values(transfers)) {
    total += t.total;
    bytes += t.state === 'done' || t.state === 'skipped' || t.state === 'mounted' ? t.total : t.bytes;
  }
  return { bytes, total, blobs: Object.keys(transfers).length };
}
