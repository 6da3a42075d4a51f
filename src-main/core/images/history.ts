/**
 * Which Dockerfile instruction made which layer. An image config's history lists every instruction, but
 * only those without `empty_layer` produced a layer, in the same order as `rootfs.diff_ids` and the
 * manifest's layers; ENV, LABEL, CMD and the like are marked empty.
 */
import type { HistoryEntry } from '../build/oci/types';

/**
 * The history entry of each layer (index i = layer i), or undefined where the history is shorter than the
 * layers (images written by tools that keep no history, or squashed ones).
 */
export function historyOfLayers(history: readonly HistoryEntry[], layerCount: number): Array<HistoryEntry | undefined> {
  const producing = history.filter((h) => h.empty_layer !== true);
  return Array.from({ length: layerCount }, (_, i) => producing[i]);
}
