import type { SettingsStore, ThemeChoice } from '../../stores/settings';

/**
 * The theme choice as `data-theme` on <html>: theme.css and usePrefersDark read it, and with none the OS
 * setting decides, as before.
 */
export function followThemeChoice(settings: SettingsStore, root: HTMLElement): () => void {
  const apply = (theme: ThemeChoice) => {
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  };
  apply(settings.getState().theme);
  return settings.subscribe((state, previous) => {
    if (state.theme !== previous.theme) apply(state.theme);
  });
}
