/**
 * Just enough shell to lint RUN: a script split into simple commands (at `&&`, `||`, `;`, `|`, `&`,
 * newlines and parentheses) with their words, quotes removed. It never fails: text it cannot make sense of
 * becomes words, which at worst makes a rule miss something rather than throw.
 */
import type { Instruction } from '../build/dockerfile';

export interface SimpleCommand {
  words: string[];
  /** The command's stdout goes into the next one (`|`). */
  pipesInto: boolean;
}

const OPERATORS = ['&&', '||', ';;', '|&', ';', '|', '&', '\n', '(', ')'];

export function splitCommands(script: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let words: string[] = [];
  let word: string | null = null;
  const endWord = () => {
    if (word !== null) words.push(word);
    word = null;
  };
  const endCommand = (pipe: boolean) => {
    endWord();
    if (words.length > 0) out.push({ words, pipesInto: pipe });
    else if (pipe && out.length > 0) out[out.length - 1]!.pipesInto = true;
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === '\\') {
      const next = script[i + 1];
      i++;
      if (next === '\n' || next === undefined) continue;
      word = (word ?? '') + next;
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end < 0 ? script.length : end;
      word = (word ?? '') + script.slice(i + 1, stop);
      i = stop;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      for (; j < script.length && script[j] !== '"'; j++) {
        if (script[j] === '\\' && j + 1 < script.length) text += script[++j];
        else text += script[j];
      }
      word = (word ?? '') + text;
      i = j;
    } else if (c === '#' && word === null) {
      const end = script.indexOf('\n', i);
      i = (end < 0 ? script.length : end) - 1;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
    } else {
      const op = OPERATORS.find((o) => script.startsWith(o, i));
      if (op) {
        endCommand(op === '|' || op === '|&');
        i += op.length - 1;
      } else word = (word ?? '') + c;
    }
  }
  endCommand(false);
  return out;
}

/** Prefixes that run the rest of the words as a command. */
const WRAPPERS = new Set([
  'sudo',
  'env',
  'exec',
  'nice',
  'nohup',
  'time',
  'command',
  'xargs',
  'then',
  'do',
  'else',
  '!',
]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The words of the command actually run: `sudo DEBIAN_FRONTEND=x apt-get …` → `apt-get …`. */
export function effectiveWords(words: readonly string[]): string[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (ASSIGNMENT.test(w) || WRAPPERS.has(w)) i++;
    else if ((words[i - 1] === 'sudo' || words[i - 1] === 'env') && w.startsWith('-')) i++;
    else break;
  }
  return words.slice(i);
}

/** The shell script a RUN executes: its command (exec form joined), plus its heredoc bodies. */
export function runScript(run: Extract<Instruction, { kind: 'RUN' }>): string {
  const command = run.command.form === 'exec' ? execScript(run.command.argv) : run.command.command;
  return [command, ...run.heredocs.map((h) => h.content)].join('\n');
}

/** `["sh", "-c", "…"]` runs the string through a shell; other exec forms are one command. */
function execScript(argv: readonly string[]): string {
  const shells = new Set(['sh', 'bash', '/bin/sh', '/bin/bash', 'ash', 'dash', 'zsh']);
  const c = argv.indexOf('-c');
  if (argv[0] !== undefined && shells.has(argv[0]) && c >= 0 && argv[c + 1] !== undefined) return argv[c + 1]!;
  return argv.map((a) => (/[\s'"]/.test(a) ? `'${a.replace(/'/g, '')}'` : a)).join(' ');
}

/** The name a command word refers to: `/usr/bin/apt-get` → `apt-get`. */
export function commandName(word: string | undefined): string {
  if (word === undefined) return '';
  return word.slice(word.lastIndexOf('/') + 1);
}
