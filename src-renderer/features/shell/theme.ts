import { useSyncExternalStore } from 'react';

const DARK = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', onChange);
  // Settings may choose a theme over the OS one: it is written as data-theme on <html>.
  const choice = new MutationObserver(onChange);
  choice.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => {
    query.removeEventListener('change', onChange);
    choice.disconnect();
  };
}

function isDark(): boolean {
  const chosen = document.documentElement.dataset.theme;
  return chosen ? chosen === 'dark' : window.matchMedia(DARK).matches;
}

/** Whether the window is dark (the theme chosen in Settings, else the OS), following changes live. */
export function usePrefersDark(): boolean {
  return useSyncExternalStore(subscribe, isDark);
}
