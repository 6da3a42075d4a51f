/** The views that exist today, in rail order; later features add theirs here. */
export const VIEWS = [
  { id: 'editor', label: 'Editor', digit: '1' },
  { id: 'activity', label: 'Activity', digit: '2' },
  { id: 'about', label: 'About', digit: '3' },
  { id: 'workspace', label: 'Files', digit: '4' },
  { id: 'builds', label: 'Builds', digit: '5' },
  { id: 'settings', label: 'Settings', digit: '6' },
  { id: 'images', label: 'Images', digit: '7' },
  { id: 'registry', label: 'Registry', digit: '8' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

/** Ctrl+Shift+digit on every platform: Cmd+Shift+3/4/5 belong to macOS, and Ctrl+Alt is AltGr on many layouts. */
export function shortcutLabel(digit: string): string {
  return `Ctrl+Shift+${digit}`;
}

export function viewForShortcut(event: Pick<KeyboardEvent, 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey' | 'code'>) {
  if (!event.ctrlKey || !event.shiftKey || event.altKey || event.metaKey) return undefined;
  return VIEWS.find((view) => event.code === `Digit${view.digit}`)?.id;
}
