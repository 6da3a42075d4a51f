import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../stores/fake-engine.test-kit';
import {
  clampPanel,
  DEFAULT_PANEL,
  MIN_PANEL,
  panelKey,
  PANEL_SIZE_KEY,
  readPanelSize,
  writePanelSize,
} from './panel-size';

describe('build panel size', () => {
  it('stays between the minimum and what the view can give', () => {
    expect(clampPanel(10, 500)).toBe(MIN_PANEL);
    expect(clampPanel(900, 500)).toBe(500);
    expect(clampPanel(300.4, 500)).toBe(300);
    // A view too small for both: the minimum wins over the editor's share.
    expect(clampPanel(300, 40)).toBe(MIN_PANEL);
  });

  it('moves by keys: arrows and pages step, Home and End go to the ends, others are left alone', () => {
    expect(panelKey('ArrowUp', 200, 500)).toBe(220);
    expect(panelKey('ArrowDown', 200, 500)).toBe(180);
    expect(panelKey('PageUp', 450, 500)).toBe(500);
    expect(panelKey('PageDown', 120, 500)).toBe(MIN_PANEL);
    expect(panelKey('Home', 200, 500)).toBe(MIN_PANEL);
    expect(panelKey('End', 200, 500)).toBe(500);
    expect(panelKey('Enter', 200, 500)).toBeUndefined();
  });

  it('is kept, and a broken or missing entry means the default', () => {
    const storage = memoryStorage();
    expect(readPanelSize(storage)).toBe(DEFAULT_PANEL);
    writePanelSize(storage, 333);
    expect(readPanelSize(storage)).toBe(333);
    storage.setItem(PANEL_SIZE_KEY, '"tall"');
    expect(readPanelSize(storage)).toBe(DEFAULT_PANEL);
  });
});
