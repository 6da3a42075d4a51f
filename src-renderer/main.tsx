/**
 * The composition root: one link to the engine, one store per domain, wired together here and nowhere else.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { openEngineLink } from './bridge';
import { notifySystem } from './features/activity/notify';
import { DefinitionsProvider } from './features/definitions/definitions-context';
import { ImagesProvider } from './features/images/images-context';
import { RegistryProvider } from './features/registry/registry-context';
import { DiagnosticsProvider } from './features/problems/diagnostics-context';
import { followThemeChoice } from './features/settings/apply-theme';
import { Shell } from './features/shell/Shell';
import { createActivityStore } from './stores/activity';
import { createBuildsStore } from './stores/builds';
import { createDefinitionsStore } from './stores/definitions';
import { createDiagnosticsStore } from './stores/diagnostics';
import { StoresProvider, type Stores } from './stores/context';
import { createDraftsStore } from './stores/drafts';
import { createImagesStore } from './stores/images';
import { createRegistryStore } from './stores/registry';
import { createSettingsStore } from './stores/settings';
import { createSystemStore } from './stores/system';
import { createWebhooksStore } from './stores/webhooks';
import { connectWorkspace, createWorkspaceStores } from './stores/workspace';
import { WorkspaceProvider } from './stores/workspace-context';
import './styles/theme.css';
import './styles/shell.css';

const link = openEngineLink(window);
const stores: Stores = {
  system: createSystemStore(link),
  activity: createActivityStore(),
  drafts: createDraftsStore(window.localStorage),
  builds: createBuildsStore(link, { onFinished: notifySystem }),
  settings: createSettingsStore(link, window.localStorage),
  webhooks: createWebhooksStore(link),
};
// The feed records from the start, whichever view is showing, so nothing is missed while editing.
link.onEvent((event) => {
  stores.activity.getState().record(event);
  stores.builds.getState().handle(event);
  stores.webhooks.getState().handle(event);
});
followThemeChoice(stores.settings, document.documentElement);
stores.system.getState().attach();
const workspace = createWorkspaceStores(link, window.localStorage);
connectWorkspace(link, workspace);
const diagnostics = createDiagnosticsStore(link);
const images = createImagesStore(link);
const definitions = createDefinitionsStore(link);
const registry = createRegistryStore(link);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <StoresProvider stores={stores}>
      <WorkspaceProvider stores={workspace}>
        <DiagnosticsProvider store={diagnostics}>
          <ImagesProvider store={images}>
            <DefinitionsProvider store={definitions}>
              <RegistryProvider store={registry}>
                <Shell />
              </RegistryProvider>
            </DefinitionsProvider>
          </ImagesProvider>
        </DiagnosticsProvider>
      </WorkspaceProvider>
    </StoresProvider>
  </StrictMode>,
);
