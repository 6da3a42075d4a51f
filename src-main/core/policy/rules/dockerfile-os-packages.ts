/** OS package managers in RUN: non-interactive installs, no recommends, caches out of the layer, versions. */
import { insertAfter, type Match } from '../text';
import { defineRule, type Report } from '../types';
import type { DockerfileInput } from '../types';
import {
  hasFlag,
  installs,
  mountsCache,
  runs,
  verbMatches,
  verbRange,
  type Install,
  type Manager,
  type RunCommands,
} from './run-commands';

export const VERB_PATTERNS: Record<Manager, RegExp> = {
  apt: /\bapt(?:-get)?\b[^&|;\n]*?[ \t](install)\b/,
  apk: /\bapk\b[^&|;\n]*?[ \t](add)\b/,
  dnf: /\b(?:dnf|yum|microdnf|tdnf)\b[^&|;\n]*?[ \t](install)\b/,
  pip: /\b(?:pip3?(?:\.\d+)?|python3?(?:\.\d+)?[ \t]+-m[ \t]+pip)\b[^&|;\n]*?[ \t](install)\b/,
  npm: /\bnpm\b[^&|;\n]*?[ \t](install|i|add)\b/,
};

/** Calls `each` for every install of a manager with its place in the text (when it can be found). */
export function forInstalls(
  input: DockerfileInput,
  manager: Manager,
  each: (install: Install, r: RunCommands, at: Match | undefined) => void,
): void {
  for (const r of runs(input)) {
    const list = installs(r, manager);
    if (list.length === 0) continue;
    const at = verbMatches(input, r.run, VERB_PATTERNS[manager], list.length);
    list.forEach((install, k) => each(install, r, at?.[k]));
  }
}

function anchors(r: RunCommands): number[] {
  return [r.run.range.startLine];
}

export const installNotInteractive = defineRule({
  id: 'GV1040',
  name: 'install-without-yes',
  title: 'Package install may wait for confirmation',
  description:
    'apt-get, dnf and yum ask before installing unless told not to; a build has no one to answer, so the ' +
    'install aborts (or depends on the base image setting assume-yes). Pass `-y`. The fix inserts it.',
  kind: 'dockerfile',
  severity: 'warning',
  message: '{tool} {verb} without -y may stop for a confirmation',
  fixable: true,
  check(input, report) {
    for (const manager of ['apt', 'dnf'] as const) {
      forInstalls(input, manager, (install, r, at) => {
        if (install.tool === 'microdnf') return; // never prompts
        const yes =
          hasFlag(install.flags, 'y', '--yes', '--assume-yes', '--assumeyes') ||
          hasFlag(install.flags, undefined, '-qq', '-q=2');
        if (yes) return;
        report({
          range: verbRange(at, r.run),
          params: { tool: install.tool, verb: install.verb },
          ...(at ? { fix: insertAfter(at, ' -y', 'Add -y') } : {}),
          anchors: anchors(r),
        });
      });
    }
  },
});

export const aptRecommends = defineRule({
  id: 'GV1041',
  name: 'apt-install-recommends',
  title: 'apt-get install pulls in recommended packages',
  description:
    'By default apt installs every "recommended" package too: often dozens of megabytes and extra attack ' +
    'surface that the image never uses. `--no-install-recommends` installs what was asked for. The fix ' +
    'inserts the flag; add back any recommended package the program turns out to need.',
  kind: 'dockerfile',
  severity: 'warning',
  message: '{tool} install without --no-install-recommends',
  fixable: true,
  check(input, report) {
    forInstalls(input, 'apt', (install, r, at) => {
      if (install.flags.includes('--no-install-recommends')) return;
      if (install.flags.some((f) => /^APT::Install-Recommends=(?:false|0)$/i.test(f))) return;
      report({
        range: verbRange(at, r.run),
        params: { tool: install.tool },
        ...(at ? { fix: insertAfter(at, ' --no-install-recommends', 'Add --no-install-recommends') } : {}),
        anchors: anchors(r),
      });
    });
  },
});

const APT_LISTS_REMOVED = /\brm\b[^&|;\n]*\/var\/lib\/apt\/lists/;

export const aptListsKept = defineRule({
  id: 'GV1042',
  name: 'apt-lists-kept',
  title: 'apt package lists left in the layer',
  description:
    'apt-get update downloads package lists (tens of megabytes) into /var/lib/apt/lists. Deleted in a later ' +
    'RUN they still weigh in the earlier layer, so remove them in the same RUN as the install: ' +
    '`&& rm -rf /var/lib/apt/lists/*`, or use a cache mount for /var/lib/apt.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'This RUN installs with {tool} but does not remove /var/lib/apt/lists/*',
  fixable: false,
  check(input, report) {
    for (const r of runs(input)) {
      const list = installs(r, 'apt');
      if (list.length === 0 || APT_LISTS_REMOVED.test(r.script) || mountsCache(r.run, '/var/lib/apt')) continue;
      const at = verbMatches(input, r.run, VERB_PATTERNS.apt, list.length);
      report({ range: verbRange(at?.[0], r.run), params: { tool: list[0]!.tool }, anchors: anchors(r) });
    }
  },
});

function reportUnpinned(
  report: Report,
  install: Install,
  r: RunCommands,
  at: Match | undefined,
  pinned: (pkg: string) => boolean,
): void {
  const loose = install.packages.filter((p) => !p.includes('$') && !pinned(p));
  if (loose.length === 0) return;
  report({
    range: verbRange(at, r.run),
    params: { tool: install.tool, packages: loose.join(', ') },
    anchors: anchors(r),
  });
}

export const aptUnpinned = defineRule({
  id: 'GV1043',
  name: 'apt-unpinned',
  title: 'apt packages without versions',
  description:
    'Without `package=version` each build installs whatever the mirror has that day. Informational by ' +
    "default: Debian and Ubuntu mirrors drop old versions, so exact pins break builds; pinning the base image's " +
    'digest is the sturdier way to a reproducible package set. Raise it in the policy where you pin on purpose.',
  kind: 'dockerfile',
  severity: 'info',
  message: '{tool} install of unpinned packages: {packages}',
  fixable: false,
  check(input, report) {
    forInstalls(input, 'apt', (install, r, at) =>
      reportUnpinned(report, install, r, at, (p) => p.includes('=') || p.endsWith('.deb')),
    );
  },
});

const APK_CACHE_REMOVED = /\brm\b[^&|;\n]*\/var\/cache\/apk/;

export const apkCache = defineRule({
  id: 'GV1044',
  name: 'apk-cache-kept',
  title: 'apk add keeps its index cache',
  description:
    'apk add without `--no-cache` stores the package index under /var/cache/apk, in the layer. ' +
    '`--no-cache` fetches a fresh index and keeps nothing (so `apk update` is not needed either). The fix ' +
    'inserts the flag.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'apk add without --no-cache leaves the package index in the layer',
  fixable: true,
  check(input, report) {
    forInstalls(input, 'apk', (install, r, at) => {
      if (install.flags.includes('--no-cache') || APK_CACHE_REMOVED.test(r.script)) return;
      if (mountsCache(r.run, '/var/cache/apk', '/etc/apk/cache')) return;
      report({
        range: verbRange(at, r.run),
        params: {},
        ...(at ? { fix: insertAfter(at, ' --no-cache', 'Add --no-cache') } : {}),
        anchors: anchors(r),
      });
    });
  },
});

export const apkUnpinned = defineRule({
  id: 'GV1045',
  name: 'apk-unpinned',
  title: 'apk packages without versions',
  description:
    'Without `package=version` (or `package~version`) each build installs the newest package the ' +
    'repository has. Informational by default: Alpine removes superseded versions from its repositories, so ' +
    'exact pins break; pin the base image and raise this rule where you pin on purpose.',
  kind: 'dockerfile',
  severity: 'info',
  message: 'apk add of unpinned packages: {packages}',
  fixable: false,
  check(input, report) {
    forInstalls(input, 'apk', (install, r, at) =>
      reportUnpinned(report, install, r, at, (p) => /[=~<>]/.test(p) || p.endsWith('.apk')),
    );
  },
});

const DNF_CLEANED =
  /\b(?:dnf|yum|microdnf|tdnf)\b[^&|;\n]*\bclean\b[^&|;\n]*\ball\b|\brm\b[^&|;\n]*\/var\/cache\/(?:dnf|yum)/;

export const dnfClean = defineRule({
  id: 'GV1046',
  name: 'dnf-cache-kept',
  title: 'dnf or yum cache left in the layer',
  description:
    'dnf and yum keep metadata and downloaded packages under /var/cache. Clean up in the same RUN as the ' +
    'install (`&& dnf clean all`, or `yum clean all`), since a later RUN cannot shrink an earlier layer.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'This RUN installs with {tool} but does not run `{tool} clean all`',
  fixable: false,
  check(input, report) {
    for (const r of runs(input)) {
      const list = installs(r, 'dnf');
      if (list.length === 0 || DNF_CLEANED.test(r.script) || mountsCache(r.run, '/var/cache/dnf', '/var/cache/yum'))
        continue;
      const at = verbMatches(input, r.run, VERB_PATTERNS.dnf, list.length);
      report({ range: verbRange(at?.[0], r.run), params: { tool: list[0]!.tool }, anchors: anchors(r) });
    }
  },
});
