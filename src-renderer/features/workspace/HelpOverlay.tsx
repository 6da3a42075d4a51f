import { VIEWS, shortcutLabel } from '../shell/views';
import { Dialog } from './Dialog';
import { displayKeys, SHORTCUTS } from './shortcuts';

const IS_MAC = /Mac/.test(navigator.platform);

/** Every shortcut, read from the same table the key handler uses. */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  return (
    <Dialog title="Keyboard shortcuts" submitLabel="Close" hideCancel onSubmit={onClose} onClose={onClose}>
      <table className="ws-shortcuts">
        <caption className="ws-visually-hidden">Keyboard shortcuts</caption>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.id}>
              <td>{shortcut.label}</td>
              <td>
                <kbd>{displayKeys(shortcut.keys, IS_MAC)}</kbd>
                {shortcut.id === 'help' && (
                  <>
                    {' '}
                    or <kbd>?</kbd>
                  </>
                )}
              </td>
            </tr>
          ))}
          {VIEWS.map((view) => (
            <tr key={view.id}>
              <td>Show {view.label}</td>
              <td>
                <kbd>{shortcutLabel(view.digit)}</kbd>
              </td>
            </tr>
          ))}
          <tr>
            <td>In the file tree: open, rename, delete</td>
            <td>
              <kbd>Enter</kbd> <kbd>F2</kbd> <kbd>Delete</kbd>
            </td>
          </tr>
          <tr>
            <td>Close the diff</td>
            <td>
              <kbd>Escape</kbd>
            </td>
          </tr>
          {/* Monaco's own keys, which no table here handles but a keyboard user needs to know. */}
          <tr>
            <td>In the editor: suggestions, quick fixes</td>
            <td>
              <kbd>Ctrl+Space</kbd> <kbd>{IS_MAC ? 'Cmd+.' : 'Ctrl+.'}</kbd>
            </td>
          </tr>
          <tr>
            <td>In the editor: Tab moves focus instead of indenting (on/off)</td>
            <td>
              <kbd>{IS_MAC ? 'Ctrl+Shift+M' : 'Ctrl+M'}</kbd>
            </td>
          </tr>
        </tbody>
      </table>
    </Dialog>
  );
}
