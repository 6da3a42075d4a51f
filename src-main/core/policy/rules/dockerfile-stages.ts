/** Instructions about how the image runs: its user, working directory, command, ports and health check. */
import { findAllOnLines, findOnLines, fromDockerfile, lineSpan, replaceRange } from '../text';
import { defineRule } from '../types';
import {
  allInstructions,
  anchorsOf,
  baseImage,
  finalStage,
  fromImageRange,
  instructionsOf,
  keywordRange,
  stageChain,
} from './dockerfile-common';

export const rootUser = defineRule({
  id: 'GV1010',
  name: 'final-stage-root-user',
  title: 'The final stage runs as root',
  description:
    'A container that runs as root turns any escape from the application into root on the image, and ' +
    'often on the host. Create a user and switch to it with USER in the final stage (builder stages may ' +
    'stay root). Bases that already run as non-root, such as distroless `:nonroot`, count when no later ' +
    'USER switches back.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'The final stage runs as {user}; switch to a non-root user with USER',
  fixable: false,
  check(input, report) {
    const last = finalStage(input);
    if (!last) return;
    // The user in effect is the last USER along the chain of stages the final one builds on.
    const chain = stageChain(input, last);
    for (const stage of chain) {
      const users = instructionsOf(stage, 'USER');
      const user = users[users.length - 1];
      if (!user) continue;
      const name = user.user.split(':')[0]!.replace(/^["']|["']$/g, '');
      if (name === 'root' || name === '0') {
        report({ range: fromDockerfile(user.range), params: { user: 'root' }, anchors: anchorsOf(user) });
      }
      return;
    }
    const root = chain[chain.length - 1]!;
    if (root.base.includes('$') && !baseImage(input, root)) return; // an unresolved base: its user is unknown
    const image = baseImage(input, root);
    if (image && /nonroot/i.test(`${image.name}:${image.tag ?? ''}`)) return;
    report({
      range: fromImageRange(input, last),
      params: { user: 'root (no USER instruction)' },
      anchors: [last.from.range.startLine],
    });
  },
});

export const relativeWorkdir = defineRule({
  id: 'GV1060',
  name: 'workdir-relative',
  title: 'WORKDIR is a relative path',
  description:
    'A relative WORKDIR is resolved against the previous one, which depends on the base image and on ' +
    'every WORKDIR before it. An absolute path says where the files are.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'WORKDIR {path} is relative; use an absolute path',
  fixable: false,
  check(input, report) {
    for (const { instruction: w } of allInstructions(input, 'WORKDIR')) {
      const path = w.path.replace(/^["']|["']$/g, '');
      if (path.startsWith('/') || path.startsWith('$') || /^[A-Za-z]:[\\/]/.test(path)) continue;
      report({ range: fromDockerfile(w.range), params: { path }, anchors: anchorsOf(w) });
    }
  },
});

/** Words a shell would treat specially; without them, shell form and exec form run the same argv. */
const PLAIN_COMMAND = /^[A-Za-z0-9_./:=@%+,-]+(?:[ \t]+[A-Za-z0-9_./:=@%+,-]+)*$/;

export const shellFormCommand = defineRule({
  id: 'GV1061',
  name: 'cmd-shell-form',
  title: 'CMD or ENTRYPOINT in shell form',
  description:
    'In shell form the process is `/bin/sh -c "…"`: the shell is PID 1, so SIGTERM from `docker stop` ' +
    'or Kubernetes never reaches the application, which is killed after the grace period. The JSON (exec) ' +
    'form runs the program directly. The fix rewrites the line when the command has no shell syntax (no ' +
    'variables, quotes, pipes or globs), where both forms mean the same.',
  kind: 'dockerfile',
  severity: 'warning',
  message: '{kind} uses the shell form; use the JSON form so signals reach the process',
  fixable: true,
  check(input, report) {
    for (const stage of input.parsed.dockerfile.stages) {
      for (const i of stage.instructions) {
        if ((i.kind !== 'CMD' && i.kind !== 'ENTRYPOINT') || i.command.form !== 'shell') continue;
        const range = keywordRange(input, i);
        const single = i.range.startLine === i.range.endLine;
        const command = i.command.command.trim();
        const line = input.lines[i.range.startLine - 1] ?? '';
        const head = /^\s*[A-Za-z]+\s+/.exec(line);
        let fix;
        if (single && head && PLAIN_COMMAND.test(command) && line.slice(head[0].length).trim() === command) {
          const argv = command.split(/[ \t]+/);
          const text = `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
          fix = replaceRange(
            lineSpan(i.range.startLine, head[0].length + 1, line.length - head[0].length),
            text,
            'Rewrite in JSON form',
          );
        }
        report({ range, params: { kind: i.kind }, ...(fix ? { fix } : {}), anchors: anchorsOf(i) });
      }
    }
  },
});

export const repeatedCommand = defineRule({
  id: 'GV1062',
  name: 'cmd-repeated',
  title: 'More than one CMD or ENTRYPOINT in a stage',
  description:
    'Only the last CMD and the last ENTRYPOINT of a stage take effect; earlier ones are dead code that misleads readers.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'This {kind} is overridden by a later {kind} on line {line}',
  fixable: false,
  check(input, report) {
    for (const stage of input.parsed.dockerfile.stages) {
      for (const kind of ['CMD', 'ENTRYPOINT'] as const) {
        const all = instructionsOf(stage, kind);
        const last = all[all.length - 1];
        for (const i of all.slice(0, -1)) {
          report({
            range: keywordRange(input, i),
            params: { kind, line: last!.range.startLine },
            anchors: anchorsOf(i),
          });
        }
      }
    }
  },
});

const PORT_SPEC = /^(\d+)(?:-(\d+))?(?:\/([A-Za-z]+))?$/;

function portProblem(spec: string): string | undefined {
  const m = PORT_SPEC.exec(spec);
  if (!m)
    return spec.includes(':')
      ? 'a host mapping belongs in `docker run -p` or compose, not in EXPOSE'
      : 'not a port, a range or port/protocol';
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start < 1 || start > 65535 || end > 65535) return 'ports are 1 to 65535';
  if (end < start) return 'the range ends before it starts';
  if (m[3] !== undefined && !/^(?:tcp|udp|sctp)$/i.test(m[3])) return `unknown protocol ${m[3]} (tcp, udp or sctp)`;
  return undefined;
}

export const invalidExpose = defineRule({
  id: 'GV1063',
  name: 'expose-invalid',
  title: 'EXPOSE with an invalid port',
  description:
    'EXPOSE takes container ports (1–65535), ranges (`8000-8010`) and an optional protocol (`/udp`). Host ' +
    'mappings such as `80:8080` and port 0 are mistakes the builder rejects or silently misreads.',
  kind: 'dockerfile',
  severity: 'error',
  message: 'EXPOSE {spec}: {reason}',
  fixable: false,
  check(input, report) {
    // Read from the text: the parser drops an EXPOSE it cannot read, and this rule is about those too.
    const covered = new Set<number>();
    for (const stage of input.parsed.dockerfile.stages) {
      for (const i of stage.instructions) {
        if (i.kind === 'EXPOSE') continue;
        for (let l = i.range.startLine; l <= i.range.endLine; l++) covered.add(l);
      }
    }
    const escapeChar = input.parsed.dockerfile.escape;
    for (let n = 1; n <= input.lines.length; n++) {
      if (covered.has(n) || !/^\s*expose(?:\s|$)/i.test(input.lines[n - 1] ?? '')) continue;
      let end = n;
      while (end < input.lines.length && (input.lines[end - 1] ?? '').trimEnd().endsWith(escapeChar)) end++;
      const words = findAllOnLines(input.lines, n, end, /[^\s\\`]+/g).filter((w, k) => !(k === 0 && w.line === n));
      for (const w of words) {
        if (w.text.includes('$') || w.text.startsWith('#')) continue;
        const reason = portProblem(w.text);
        if (reason)
          report({ range: lineSpan(w.line, w.column, w.text.length), params: { spec: w.text, reason }, anchors: [n] });
      }
      n = end;
    }
  },
});

export const missingHealthcheck = defineRule({
  id: 'GV1064',
  name: 'healthcheck-missing',
  title: 'The final stage has no HEALTHCHECK',
  description:
    'Without a HEALTHCHECK, Docker and Compose only know whether the process is alive, not whether it ' +
    'serves. Informational: Kubernetes ignores HEALTHCHECK and uses its own probes, and many images are ' +
    'tools rather than services.',
  kind: 'dockerfile',
  severity: 'info',
  message: 'The final stage has no HEALTHCHECK',
  fixable: false,
  check(input, report) {
    const last = finalStage(input);
    if (!last) return;
    if (stageChain(input, last).some((s) => instructionsOf(s, 'HEALTHCHECK').length > 0)) return;
    const at = findOnLines(input.lines, last.from.range.startLine, last.from.range.endLine, /\S+/);
    report({
      range: at ? lineSpan(at.line, at.column, at.text.length) : fromDockerfile(last.from.range),
      params: {},
      anchors: [last.from.range.startLine],
    });
  },
});
