import Editor from '@monaco-editor/react';
import { useId } from 'react';
import '../../editor/monaco';
import { EDITOR_LANGUAGES, isEditorLanguage } from '../../editor/languages';
import { useDrafts } from '../../stores/context';
import { SCRATCH_DRAFT, selectDraft } from '../../stores/drafts';
import { usePrefersDark } from '../shell/theme';

const selectScratch = selectDraft(SCRATCH_DRAFT);

/** A scratch editor: nothing here is in a repository yet, but nothing typed is lost either. */
export default function EditorView() {
  const draft = useDrafts(selectScratch);
  const update = useDrafts((s) => s.update);
  const saveProblem = useDrafts((s) => s.saveProblem);
  const dark = usePrefersDark();
  const languageId = useId();

  return (
    <div className="editor-view">
      <header className="view-header">
        <h1>Scratch editor</h1>
        <label htmlFor={languageId}>Language</label>
        <select
          id={languageId}
          value={draft.language}
          onChange={(event) => {
            if (isEditorLanguage(event.target.value)) update(SCRATCH_DRAFT, { language: event.target.value });
          }}
        >
          {EDITOR_LANGUAGES.map((language) => (
            <option key={language.id} value={language.id}>
              {language.label}
            </option>
          ))}
        </select>
        {saveProblem ? (
          <span role="alert" className="save-problem">
            {saveProblem}
          </span>
        ) : (
          <span className="hint">Kept in this window’s storage; not in a repository yet.</span>
        )}
      </header>
      <div className="editor-host">
        <Editor
          // Uncontrolled on purpose: feeding every keystroke back as `value` would fight the cursor.
          defaultValue={draft.text}
          language={draft.language}
          theme={dark ? 'vs-dark' : 'vs'}
          loading={<p className="view-loading">Loading the editor…</p>}
          onChange={(text) => update(SCRATCH_DRAFT, { text: text ?? '' })}
          options={{
            ariaLabel: 'Scratch editor',
            automaticLayout: true,
            minimap: { enabled: false },
            // Suggestions on Ctrl+Space and trigger characters only: popping up on every word, Enter at a line's
            // end would accept a word instead of ending the instruction, and Dockerfile lines mostly end that way.
            quickSuggestions: false,
            wordBasedSuggestions: 'off',
            fontSize: 13,
            scrollBeyondLastLine: false,
            placeholder: 'Type or paste a Dockerfile, a compose file or a Kubernetes manifest…',
            tabSize: 2,
          }}
        />
      </div>
    </div>
  );
}
