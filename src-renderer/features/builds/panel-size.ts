/** The build panel's height: clamped to what the view can give, moved by keys, kept across reloads. */
import { readJson, writeJson, type KeyValueStorage } from '../../stores/persisted';

export const PANEL_SIZE_KEY = 'govc.layout.buildPanel.v1';
export const MIN_PANEL = 80;
export const DEFAULT_PANEL = 280;
/** What the editor keeps above the panel at least. */
export const EDITOR_KEEPS = 140;

export function clampPanel(height: number, max: number): number {
  return Math.round(Math.max(MIN_PANEL, Math.min(height, Math.max(MIN_PANEL, max))));
}

/** The height a key asks for, or undefined for keys a splitter does not take. Up grows the bottom panel. */
export function panelKey(key: string, height: number, max: number): number | undefined {
  const steps: Record<string, number> = { ArrowUp: 20, ArrowDown: -20, PageUp: 100, PageDown: -100 };
  if (key === 'Home') return MIN_PANEL;
  if (key === 'End') return clampPanel(max, max);
  const step = steps[key];
  return step === undefined ? undefined : clampPanel(height + step, max);
}

export function readPanelSize(storage: KeyValueStorage): number {
  const saved = readJson(storage, PANEL_SIZE_KEY);
  return typeof saved === 'number' && Number.isFinite(saved) && saved >= MIN_PANEL ? saved : DEFAULT_PANEL;
}

export function writePanelSize(storage: KeyValueStorage, height: number): void {
  writeJson(storage, PANEL_SIZE_KEY, height);
}
