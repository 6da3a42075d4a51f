// The Electron entry point (out/main/index.js). Everything that touches electron lives in ./electron.
import { fileURLToPath } from 'node:url';
import { startDesktopApp } from './electron/app';

startDesktopApp({ mainBundleDir: fileURLToPath(new URL('.', import.meta.url)) });
