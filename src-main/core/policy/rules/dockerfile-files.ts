/** ADD and COPY: ADD only for what COPY cannot do, downloads verified, `--from` pointing at a real stage. */
import { lineSpan, replaceRange } from '../text';
import { defineRule } from '../types';
import { allInstructions, anchorsOf, keywordRange, stageNamed } from './dockerfile-common';
import { findOnLines } from '../text';

const URL = /^(?:https?|ftp):\/\//i;
const GIT = /^git@|\.git(?:#.*)?$|^git:\/\//i;
/** Local archives ADD unpacks: the one thing besides URLs that COPY does not do. */
const ARCHIVE = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tar\.lzma)$/i;

export const addInsteadOfCopy = defineRule({
  id: 'GV1020',
  name: 'add-instead-of-copy',
  title: 'ADD used where COPY does the job',
  description:
    'ADD also downloads URLs and unpacks local tar archives, so a reader (and a reviewer) cannot tell from ' +
    'the line what it will do. For local files and folders COPY does the same, plainly. The fix replaces ' +
    'the keyword; it is only offered when no source is a URL, an archive or a variable.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'ADD copies only local files here; use COPY',
  fixable: true,
  check(input, report) {
    for (const { instruction: add } of allInstructions(input, 'ADD')) {
      if (add.checksum !== undefined || add.keepGitDir) continue; // flags only ADD has
      const sources = add.heredocs.length > 0 ? [] : add.sources;
      const needsAdd = sources.some((s) => URL.test(s) || GIT.test(s) || ARCHIVE.test(s) || s.includes('$'));
      if (needsAdd) continue;
      const range = keywordRange(input, add);
      report({ range, params: {}, fix: replaceRange(range, 'COPY', 'Replace ADD with COPY'), anchors: anchorsOf(add) });
    }
  },
});

export const addWithoutChecksum = defineRule({
  id: 'GV1021',
  name: 'add-url-without-checksum',
  title: 'Remote ADD without --checksum',
  description:
    'ADD of a URL fetches whatever the server sends at build time. Without `--checksum=sha256:…` a changed ' +
    'or compromised download goes into the image unnoticed; with it, the build fails instead.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'ADD {url} downloads without --checksum; pin the content with --checksum=sha256:…',
  fixable: false,
  check(input, report) {
    for (const { instruction: add } of allInstructions(input, 'ADD')) {
      if (add.checksum !== undefined) continue;
      for (const url of add.sources.filter((s) => URL.test(s) && !GIT.test(s))) {
        const at = findOnLines(input.lines, add.range.startLine, add.range.endLine, new RegExp(escape(url)));
        const range = at ? lineSpan(at.line, at.column, url.length) : keywordRange(input, add);
        report({ range, params: { url }, anchors: anchorsOf(add) });
      }
    }
  },
});

export const copyFromUnknownStage = defineRule({
  id: 'GV1022',
  name: 'copy-from-unknown-stage',
  title: 'COPY --from names no earlier stage',
  description:
    '`COPY --from=<name>` copies from an earlier stage with that name or index; a name that is no stage is ' +
    'pulled as an image from Docker Hub instead (usually a typo, sometimes a supply-chain surprise), and a ' +
    'stage defined later, or the stage itself, is an error in the build. Copy from an image deliberately ' +
    'with a full reference and a tag (`--from=docker.io/library/busybox:1.36`).',
  kind: 'dockerfile',
  severity: 'error',
  message: 'COPY --from={from}: {reason}',
  fixable: false,
  check(input, report) {
    const stages = input.parsed.dockerfile.stages;
    for (const { stage, instruction: copy } of allInstructions(input, 'COPY')) {
      const from = copy.from;
      if (from === undefined || from.includes('$')) continue;
      if (stageNamed(input, from, stage.index)) continue;
      let reason: string | undefined;
      if (/^\d+$/.test(from)) {
        reason = Number(from) >= stage.index ? `stage ${from} is not an earlier stage` : `there is no stage ${from}`;
      } else if (stages.some((s) => s.name === from.toLowerCase())) {
        reason = `stage ${from} is defined at or after this one; only earlier stages can be copied from`;
      } else if (/^[a-z0-9][a-z0-9_.-]*$/i.test(from) && !from.includes('.')) {
        reason = `no stage is named ${from}, so the image docker.io/library/${from}:latest would be pulled`;
      }
      if (reason === undefined) continue;
      const at = findOnLines(input.lines, copy.range.startLine, copy.range.endLine, /--from=\S+/);
      const range = at ? lineSpan(at.line, at.column, at.text.length) : keywordRange(input, copy);
      report({ range, params: { from, reason }, anchors: anchorsOf(copy) });
    }
  },
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
