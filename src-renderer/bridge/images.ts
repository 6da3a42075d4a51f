/**
 * What the Images view needs from the images part of the contract: the shapes it shows, the export
 * formats it offers and the transfer progress of pushes and pulls.
 */
import type { AnyEngineEvent, EventData, RequestInput, RequestOutput } from '../../src-shared/contract';

export type ImageSummary = RequestOutput<'images.list'>['images'][number];
export type ImageDetail = RequestOutput<'images.get'>;
export type ImageLayer = ImageDetail['layer_list'][number];
export type ImageHistoryEntry = ImageDetail['history'][number];
export type ImageExportFormat = RequestInput<'images.export'>['format'];
export type TransferProgress = EventData<'registry.transfer.progress'>;

export const IMAGE_EXPORT_FORMATS: readonly ImageExportFormat[] = ['oci', 'oci-archive', 'docker-archive'];

export function isTransferProgress(
  event: AnyEngineEvent,
): event is Extract<AnyEngineEvent, { type: 'registry.transfer.progress' }> {
  return event.type === 'registry.transfer.progress';
}

/** Events after which the list of local images may differ. */
export function changesImages(event: AnyEngineEvent): boolean {
  return event.type === 'image.deleted' || event.type === 'build.completed';
}
