import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
import '../../editor/monaco';
import { bufferKey, type Buffer } from '../../stores/buffers';
import { useEditorProblems } from '../problems/useEditorProblems';
import { useWorkspace } from '../../stores/workspace-context';
import { usePrefersDark } from '../shell/theme';
import { languageForPath } from './language';

type CodeEditor = Parameters<OnMount>[0];

/**
 * One Monaco editor for all open files: each file is its own model (by `path`), so switching tabs keeps
 * each file's undo history and cursor. The buffer is the truth; the model follows it when the repository
 * replaces a file's text (a restore, a checkout), and every keystroke goes into the buffer.
 */
export function FileEditor({ repo, path, buffer }: { repo: string; path: string; buffer: Buffer }) {
  const edit = useWorkspace('buffers', (s) => s.edit);
  const dark = usePrefersDark();
  const editorRef = useRef<CodeEditor | null>(null);
  const key = bufferKey(repo, path);
  const [mounted, setMounted] = useState<CodeEditor | null>(null);
  useEditorProblems(mounted, repo, path, buffer.base);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model && model.getValue() !== buffer.text) {
      // Through an edit rather than setValue, so Ctrl+Z can bring back what was there.
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: buffer.text }], () => null);
    }
  }, [buffer.text, key]);

  return (
    <Editor
      path={`${repo}/${path}`}
      defaultValue={buffer.text}
      language={languageForPath(path)}
      theme={dark ? 'vs-dark' : 'vs'}
      loading={<p className="view-loading">Loading the editor…</p>}
      onMount={(editor) => {
        editorRef.current = editor;
        setMounted(editor);
      }}
      onChange={(text) => edit(key, text ?? '')}
      options={{
        ariaLabel: `File ${path}`,
        automaticLayout: true,
        minimap: { enabled: false },
        // Suggestions on Ctrl+Space and trigger characters only: popping up on every word, Enter at a line's
        // end would accept a word instead of ending the instruction, and Dockerfile lines mostly end that way.
        quickSuggestions: false,
        wordBasedSuggestions: 'off',
        fontSize: 13,
        scrollBeyondLastLine: false,
        tabSize: 2,
      }}
    />
  );
}
