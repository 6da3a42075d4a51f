// The Electron entry point (out/main/index.js). Everything that touches electron lives in ./electron.
import { fileURLToPath } from 'node:url';
// The boundary rule's `electron/*` pattern also matches this relative folder, not only the electron
// package; the composition root is the one place outside the folder that must import it.
// eslint-disable-next-line no-restricted-imports
import { startDesktopApp } from './electron/app';

startDesktopApp({ mainBundleDir: fileURLToPath(new URL('.', import.meta.url)) });
