/**
 * Monaco, bundled: only the editor core, the contributions we use and our three languages, with workers
 * built by Vite (no eval, no CDN, so it runs under `script-src 'self'; worker-src 'self' blob:`).
 */
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';

// Languages: tokenizers for Dockerfile and YAML; JSON with its worker (validation, formatting, folding).
import 'monaco-editor/languages/definitions/dockerfile/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/features/json/register';

// Editor contributions a text editor is expected to have; the rest of features/register.all stays out.
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codeAction/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/placeholderText/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/suggest/register';
// features/suggest/register brings only inline suggestions; the suggest widget that asks completion
// providers lives in the controller, which only the full editor.main imports.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
// Ctrl+M (Ctrl+Shift+M on macOS) makes Tab move focus out of the editor instead of typing a tab: without it
// a keyboard user who tabs into the editor cannot tab out.
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';

globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

// @monaco-editor/react would otherwise load Monaco from a CDN, which the CSP (rightly) forbids.
loader.config({ monaco });

export { monaco };
