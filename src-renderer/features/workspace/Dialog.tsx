import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';

/**
 * A modal dialog on the native <dialog>: the browser traps focus, closes it on Escape and gives it the
 * dialog role; the title names it. The form inside submits with Enter.
 */
export function Dialog({
  title,
  submitLabel,
  danger = false,
  canSubmit = true,
  hideCancel = false,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  submitLabel: string;
  danger?: boolean;
  canSubmit?: boolean;
  /** For a dialog that only informs: its one button closes it. */
  hideCancel?: boolean;
  onSubmit(): void;
  onClose(): void;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // Focus goes back where it was, so a keyboard user does not start over from the top.
    const before = document.activeElement as HTMLElement | null;
    return () => before?.focus?.();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (canSubmit) onSubmit();
  };

  return (
    <dialog ref={ref} className="ws-dialog" aria-label={title} onClose={onClose}>
      <form onSubmit={submit}>
        <h2 className="ws-dialog-title">{title}</h2>
        {children}
        <div className="ws-dialog-actions">
          {!hideCancel && (
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          )}
          <button type="submit" className={danger ? 'ws-danger' : 'ws-primary'} disabled={!canSubmit}>
            {submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Asks before something that cannot be undone; the question says exactly what will happen. */
export function ConfirmDialog({
  title,
  question,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  title: string;
  question: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
  onClose(): void;
}) {
  return (
    <Dialog title={title} submitLabel={confirmLabel} danger onSubmit={onConfirm} onClose={onClose}>
      <p className="ws-dialog-text">{question}</p>
    </Dialog>
  );
}

/** One text field in a dialog (a file name, a branch name). */
export function PromptDialog({
  title,
  label,
  initial = '',
  submitLabel,
  validate,
  onSubmit,
  onClose,
}: {
  title: string;
  label: string;
  initial?: string;
  submitLabel: string;
  /** Why the value cannot be used, or undefined when it can. */
  validate?(value: string): string | undefined;
  onSubmit(value: string): void;
  onClose(): void;
}) {
  const [value, setValue] = useState(initial);
  const problem = value.trim() ? validate?.(value.trim()) : undefined;
  return (
    <Dialog
      title={title}
      submitLabel={submitLabel}
      canSubmit={value.trim() !== '' && problem === undefined}
      onSubmit={() => onSubmit(value.trim())}
      onClose={onClose}
    >
      <label className="ws-field">
        <span>{label}</span>
        <input autoFocus value={value} spellCheck={false} onChange={(e) => setValue(e.target.value)} />
      </label>
      <p className="ws-field-problem" aria-live="polite">
        {problem}
      </p>
    </Dialog>
  );
}
