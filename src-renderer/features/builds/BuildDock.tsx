import { useEffect, useRef, useState } from 'react';
import { useBuilds, useStores } from '../../stores/context';
import { tabsOf } from '../../stores/tabs';
import { useWorkspace } from '../../stores/workspace-context';
import { BuildForm } from './BuildForm';
import { BuildPanel } from './BuildPanel';
import { PanelSplitter, usePanelSize } from './PanelSplitter';
import { isDockerfilePath } from './build-form-model';
import './builds.css';

const IS_MAC = /Mac/.test(navigator.platform);

/**
 * The bottom panel of the Files view: the build of the Dockerfile in focus, and the Build action
 * (Ctrl/Cmd+B on a Dockerfile, or the button) that opens the build form.
 */
export function BuildDock({ repo, active }: { repo: string; active: boolean }) {
  const stores = useStores();
  const file = useWorkspace('tabs', (s) => tabsOf(s, repo).active);
  const shown = useBuilds((s) => (s.shown ? s.byId[s.shown] : undefined));
  const problem = useBuilds((s) => s.problem);
  const [form, setForm] = useState<string | null>(null);
  const dockerfile = isDockerfilePath(file) ? file : undefined;
  const formRef = useRef(form);
  formRef.current = form;
  const dock = useRef<HTMLDivElement>(null);
  const size = usePanelSize(dock);

  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      const mod = IS_MAC ? event.metaKey : event.ctrlKey;
      if (!mod || event.altKey || event.shiftKey || event.code !== 'KeyB' || formRef.current) return;
      if (!dockerfile) return;
      // Capture, before Monaco: Ctrl+B means Build here.
      event.preventDefault();
      event.stopPropagation();
      setForm(dockerfile);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [active, dockerfile]);

  // The panel belongs to the Dockerfile in focus: show its newest build when another file's is showing.
  useEffect(() => {
    if (!dockerfile) return;
    const current = stores.builds.getState();
    const showing = current.shown ? current.byId[current.shown] : undefined;
    if (showing?.repo === repo && showing.dockerfile === dockerfile) return;
    void current.showLatest(repo, dockerfile);
  }, [repo, dockerfile, stores]);

  const build = shown?.repo === repo ? shown : undefined;
  return (
    <div
      className="bd"
      aria-label="Build"
      role="region"
      ref={dock}
      style={build ? { height: size.height, maxHeight: 'none' } : undefined}
    >
      {build && (
        <PanelSplitter height={size.height} max={size.max} label="Resize the build panel" onResize={size.resize} />
      )}
      <div className="bd-bar">
        <button
          type="button"
          className="bd-build"
          aria-keyshortcuts={IS_MAC ? 'Meta+B' : 'Control+B'}
          title={dockerfile ? `Build ${dockerfile} (${IS_MAC ? '⌘B' : 'Ctrl+B'})` : 'Build a Dockerfile'}
          onClick={() => setForm(dockerfile ?? stores.builds.getState().dockerfiles.list[0]?.path ?? 'Dockerfile')}
        >
          ▶ Build…
        </button>
        {!build && (
          <span className="bp-muted">
            {dockerfile ? `No build of ${dockerfile} yet.` : 'Open a Dockerfile to see its builds.'}
          </span>
        )}
        {problem && (
          <span role="alert" className="bd-problem">
            {problem}{' '}
            <button type="button" className="ws-link-button" onClick={() => stores.builds.getState().clearProblem()}>
              Dismiss
            </button>
          </span>
        )}
      </div>
      {build && <BuildPanel build={build} />}
      {form && <BuildForm repo={repo} dockerfile={form} onClose={() => setForm(null)} />}
    </div>
  );
}
