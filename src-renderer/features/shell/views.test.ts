import { describe, expect, it } from 'vitest';
import { viewForShortcut } from './views';

const keys = { ctrlKey: true, shiftKey: true, altKey: false, metaKey: false };

describe('viewForShortcut', () => {
  it('maps Ctrl+Shift+digit to the view in that rail position', () => {
    expect(viewForShortcut({ ...keys, code: 'Digit1' })).toBe('editor');
    expect(viewForShortcut({ ...keys, code: 'Digit3' })).toBe('about');
  });

  it('leaves other chords alone (AltGr is Ctrl+Alt on many layouts; Cmd+Shift+3 is a macOS screenshot)', () => {
    expect(viewForShortcut({ ...keys, code: 'Digit9' })).toBeUndefined();
    expect(viewForShortcut({ ...keys, altKey: true, code: 'Digit1' })).toBeUndefined();
    expect(viewForShortcut({ ...keys, ctrlKey: false, metaKey: true, code: 'Digit3' })).toBeUndefined();
    expect(viewForShortcut({ ...keys, shiftKey: false, code: 'Digit1' })).toBeUndefined();
  });
});
