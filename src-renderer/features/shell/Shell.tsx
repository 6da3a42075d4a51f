import { lazy, Suspense, useEffect, useState } from 'react';
import { AboutView } from '../about/AboutView';
import { ActivityView } from '../activity/ActivityView';
import { Toasts } from '../activity/Toasts';
import { SettingsView } from '../settings/SettingsView';
import { NavigationContext } from './navigation';
import { Rail } from './Rail';
import { StatusBar } from './StatusBar';
import { viewForShortcut, type ViewId } from './views';

// Monaco is most of the bundle: the shell and the status bar show before it has loaded.
const EditorView = lazy(() => import('../editor/EditorView'));
const WorkspaceView = lazy(() => import('../workspace/WorkspaceView'));
const BuildsView = lazy(() => import('../builds/BuildsView'));
const ImagesView = lazy(() => import('../images/ImagesView'));
const RegistryView = lazy(() => import('../registry/RegistryView'));

export function Shell() {
  const [view, setView] = useState<ViewId>('editor');

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = viewForShortcut(event);
      if (!target) return;
      event.preventDefault();
      setView(target);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Views stay mounted while hidden: the editor keeps its undo history and cursor across switches.
  return (
    <NavigationContext.Provider value={setView}>
      <div className="shell">
        <Rail current={view} onSelect={setView} />
        <main className="view-host">
          <section className="view" hidden={view !== 'editor'} aria-label="Editor">
            <Suspense fallback={<p className="view-loading">Loading the editor…</p>}>
              <EditorView />
            </Suspense>
          </section>
          <section className="view" hidden={view !== 'activity'} aria-label="Activity">
            <ActivityView active={view === 'activity'} />
          </section>
          <section className="view" hidden={view !== 'about'} aria-label="About">
            <AboutView />
          </section>
          <section className="view" hidden={view !== 'workspace'} aria-label="Files">
            <Suspense fallback={<p className="view-loading">Loading the workspace…</p>}>
              <WorkspaceView active={view === 'workspace'} />
            </Suspense>
          </section>
          <section className="view" hidden={view !== 'builds'} aria-label="Builds">
            <Suspense fallback={<p className="view-loading">Loading the builds…</p>}>
              <BuildsView active={view === 'builds'} />
            </Suspense>
          </section>
          <section className="view" hidden={view !== 'settings'} aria-label="Settings">
            <SettingsView active={view === 'settings'} />
          </section>
          <section className="view" hidden={view !== 'images'} aria-label="Images">
            <Suspense fallback={<p className="view-loading">Loading the images…</p>}>
              <ImagesView active={view === 'images'} />
            </Suspense>
          </section>
          <section className="view" hidden={view !== 'registry'} aria-label="Registry">
            <Suspense fallback={<p className="view-loading">Loading the registry…</p>}>
              <RegistryView active={view === 'registry'} />
            </Suspense>
          </section>
        </main>
        <StatusBar />
        <Toasts />
      </div>
    </NavigationContext.Provider>
  );
}
