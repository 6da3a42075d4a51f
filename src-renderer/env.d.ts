/// <reference types="vite/client" />
import type { GovcBridge } from '../src-shared/contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent when the app runs in a browser against `govc serve`. */
    govc?: GovcBridge;
  }
}
