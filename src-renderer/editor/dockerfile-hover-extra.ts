/**
 * Dockerfile hover that rcjsuen's language service does not give: stage names (after `--from=`, as a FROM
 * base, after AS) and the newer BuildKit flags it does not know. Asked first, on the unsaved text; where it
 * has nothing the service answers. Pure (0-based lines and characters, as the service uses), so it is unit tested.
 */
import type { Hover } from 'vscode-languageserver-types';

interface Stage {
  index: number;
  name: string | null;
  image: string;
  line: number;
}

/** Flags of BuildKit's Dockerfile frontend the service leaves without a hover, in our own words. */
const FLAGS: Record<string, Record<string, string>> = {
  RUN: {
    mount:
      'Mounts something for this RUN only: `type=cache` (a cache kept between builds), `type=bind` (files ' +
      'from the context or a stage), `type=secret`, `type=ssh`, `type=tmpfs`. Nothing mounted stays in the layer.',
    network: 'The network the command runs with: `default`, `none` (no network) or `host`.',
    security: '`sandbox` (default) or `insecure` (needs the `security.insecure` entitlement).',
  },
  COPY: {
    chmod: 'Sets the permissions of the copied files, in octal (`755`) or symbolic form.',
    link: 'Copies into a layer of its own, independent of the layers before, so it stays cached when they change.',
    parents: 'Keeps the source paths’ parent folders under the destination.',
    exclude: 'Leaves out the paths that match this pattern.',
  },
  ADD: {
    chmod: 'Sets the permissions of the added files, in octal (`755`) or symbolic form.',
    link: 'Adds into a layer of its own, independent of the layers before, so it stays cached when they change.',
    checksum: 'The digest a remote file must have (`sha256:…`); the build fails if it does not match.',
    'keep-git-dir': 'For a Git source: keeps the `.git` folder in the result.',
    exclude: 'Leaves out the paths that match this pattern.',
  },
};

const FROM_LINE = /^\s*FROM\s+((?:--\S+\s+)*)(\S+)(?:\s+AS\s+(\S+))?/i;

export function stagesOf(lines: readonly string[]): Stage[] {
  const stages: Stage[] = [];
  lines.forEach((text, line) => {
    const m = FROM_LINE.exec(text);
    if (m) stages.push({ index: stages.length, name: m[3]?.toLowerCase() ?? null, image: m[2]!, line });
  });
  return stages;
}

/** The whitespace-separated word at a character, with where it starts. */
function wordAt(text: string, character: number): { word: string; start: number } | null {
  for (const m of text.matchAll(/\S+/g)) {
    if (character >= m.index && character < m.index + m[0].length) return { word: m[0], start: m.index };
  }
  return null;
}

function describeStage(stage: Stage, count: number, usedOn: number[]): string {
  const title = `**Stage ${stage.name ? `\`${stage.name}\`` : stage.index}** (${stage.index + 1} of ${count})`;
  const from = `Built \`FROM ${stage.image}\`, line ${stage.line + 1}.`;
  const used = usedOn.length ? ` Used on line ${usedOn.map((l) => l + 1).join(', ')}.` : '';
  return `${title}\n\n${from}${used}`;
}

function hover(value: string, line: number, start: number, end: number): Hover {
  return {
    contents: { kind: 'markdown', value },
    range: { start: { line, character: start }, end: { line, character: end } },
  };
}

export function extraHover(text: string, line: number, character: number): Hover | null {
  const lines = text.split(/\r?\n/);
  const current = lines[line] ?? '';
  const at = wordAt(current, character);
  if (!at) return null;
  const stages = stagesOf(lines);
  const stageNamed = (ref: string, before: number) =>
    stages.find((s) => s.line < before && (s.name === ref.toLowerCase() || String(s.index) === ref));
  const usesOf = (stage: Stage) =>
    lines.flatMap((t, l) => {
      const from = /--from=(\S+)/i.exec(t)?.[1] ?? FROM_LINE.exec(t)?.[2];
      return l !== stage.line && from && stageNamed(from, l) === stage ? [l] : [];
    });

  const flag = /^--([a-z-]+)(=(.*))?$/i.exec(at.word);
  if (flag) {
    const name = flag[1]!.toLowerCase();
    const valueStart = at.start + 2 + name.length + 1;
    if (name === 'from' && flag[3] && character >= valueStart) {
      const stage = stageNamed(flag[3], line);
      const end = at.start + at.word.length;
      if (stage) return hover(describeStage(stage, stages.length, usesOf(stage)), line, valueStart, end);
      return hover(
        `**Image \`${flag[3]}\`**\n\nNot a stage before this line: read as an image.`,
        line,
        valueStart,
        end,
      );
    }
    const instruction = /^\s*(?:ONBUILD\s+)?(\w+)/i.exec(current)?.[1]?.toUpperCase() ?? '';
    const doc = FLAGS[instruction]?.[name];
    return doc ? hover(`**--${name}**\n\n${doc}`, line, at.start, at.start + 2 + name.length) : null;
  }

  const from = FROM_LINE.exec(current);
  if (from) {
    const self = stages.find((s) => s.line === line);
    const end = at.start + at.word.length;
    if (at.word === from[2]) {
      const base = stageNamed(at.word, line);
      return base ? hover(describeStage(base, stages.length, usesOf(base)), line, at.start, end) : null;
    }
    if (self && from[3] && at.word === from[3]) {
      return hover(describeStage(self, stages.length, usesOf(self)), line, at.start, end);
    }
  }
  return null;
}
