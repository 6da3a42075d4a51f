/** Git's habit, which log views and mail patches rely on: a short first line, the summary. */
export const SUMMARY_LIMIT = 72;

export type MessageCheck = { ok: true } | { ok: false; problem: string };

/** Whether the message's summary line is usable; an empty one blocks the commit, a long one only warns. */
export function checkSummary(message: string): MessageCheck & { blocking: boolean } {
  const summary = message.split('\n', 1)[0] ?? '';
  if (summary.trim() === '') {
    return { ok: false, blocking: true, problem: 'The first line (the summary) is empty.' };
  }
  if (summary.length > SUMMARY_LIMIT) {
    return {
      ok: false,
      blocking: false,
      problem: `The summary is ${summary.length} characters; keep it to ${SUMMARY_LIMIT} and put details below a blank line.`,
    };
  }
  return { ok: true, blocking: false };
}

/** The Commit and build button, which Ctrl/Cmd+Shift+Enter presses from anywhere in the workspace. */
export const COMMIT_AND_BUILD_ID = 'ws-commit-build';
