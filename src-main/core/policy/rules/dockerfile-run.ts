/** What RUN executes: no sudo, no scripts piped from the network, no secrets written into the command. */
import { commandName, effectiveWords } from '../shell';
import { findOnLines, fromDockerfile, lineSpan } from '../text';
import { defineRule } from '../types';
import { runs } from './run-commands';

export const sudo = defineRule({
  id: 'GV1030',
  name: 'run-sudo',
  title: 'RUN uses sudo',
  description:
    'Build steps run as the current USER already; sudo adds a setuid binary and a sudoers configuration to ' +
    'the image and behaves unpredictably without a terminal. Switch users with USER around the steps that ' +
    'need root.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'RUN uses sudo; switch with USER instead',
  fixable: false,
  check(input, report) {
    for (const r of runs(input)) {
      const uses = r.commands.some((c) => {
        const plain = c.words.filter((w) => !/^[A-Za-z_]\w*=/.test(w));
        return commandName(plain[0]) === 'sudo';
      });
      if (!uses) continue;
      const at = findOnLines(input.lines, r.run.range.startLine, r.run.range.endLine, /\bsudo\b/);
      report({
        range: at ? lineSpan(at.line, at.column, 4) : fromDockerfile(r.run.range),
        params: {},
        anchors: [r.run.range.startLine],
      });
    }
  },
});

const DOWNLOADERS = new Set(['curl', 'wget']);
const INTERPRETERS = /^(?:sh|bash|zsh|dash|ash|ksh|fish|python[\d.]*|perl|ruby|node)$/;
const SUBSTITUTED =
  /\b(?:sh|bash|zsh|dash|ash|ksh)\b[^&|;\n]*(?:-c\s*["']?\$\(\s*(?:curl|wget)\b|<\(\s*(?:curl|wget)\b)/;

export const pipeToShell = defineRule({
  id: 'GV1031',
  name: 'run-pipe-to-shell',
  title: 'A downloaded script is run unverified',
  description:
    '`curl … | sh` runs whatever the server returns, at build time, with the privileges of the build: a ' +
    'compromised or hijacked URL owns the image, and a truncated download runs half a script. Download to ' +
    'a file, verify a checksum or signature, then run it (or use ADD --checksum).',
  kind: 'dockerfile',
  severity: 'warning',
  message: '{tool} output is piped into {shell}; download, verify, then run',
  fixable: false,
  check(input, report) {
    for (const r of runs(input)) {
      let found: { tool: string; shell: string } | undefined;
      r.commands.forEach((c, k) => {
        const next = r.commands[k + 1];
        if (found || !c.pipesInto || !next) return;
        const tool = commandName(effectiveWords(c.words)[0]);
        const shell = commandName(effectiveWords(next.words)[0]);
        if (DOWNLOADERS.has(tool) && INTERPRETERS.test(shell)) found = { tool, shell };
      });
      if (!found && SUBSTITUTED.test(r.script))
        found = { tool: /\bwget\b/.test(r.script) ? 'wget' : 'curl', shell: 'a shell' };
      if (!found) continue;
      const at = findOnLines(
        input.lines,
        r.run.range.startLine,
        r.run.range.endLine,
        new RegExp(`\\b${found.tool}\\b`),
      );
      report({
        range: at ? lineSpan(at.line, at.column, found.tool.length) : fromDockerfile(r.run.range),
        params: found,
        anchors: [r.run.range.startLine],
      });
    }
  },
});
