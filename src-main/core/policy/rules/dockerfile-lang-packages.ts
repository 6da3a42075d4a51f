/** Language package managers in RUN (pip, npm), and packages the policy prohibits in any manager. */
import { globToRegExp } from '../image-ref';
import { insertAfter } from '../text';
import { defineRule } from '../types';
import { stageChain } from './dockerfile-common';
import { forInstalls } from './dockerfile-os-packages';
import { mountsCache, verbRange, type Install, type Manager } from './run-commands';

/** Upgrading the installer itself is conventional and harmless to leave unpinned. */
const PIP_TOOLS = new Set(['pip', 'setuptools', 'wheel']);

export const pipCache = defineRule({
  id: 'GV1047',
  name: 'pip-cache-kept',
  title: 'pip install keeps its download cache',
  description:
    'pip caches every wheel it downloads under ~/.cache/pip, which then ships in the layer. ' +
    '`--no-cache-dir` (or `ENV PIP_NO_CACHE_DIR=1`, or a cache mount) keeps it out. The fix inserts the flag.',
  kind: 'dockerfile',
  severity: 'warning',
  message: '{tool} install without --no-cache-dir leaves the download cache in the layer',
  fixable: true,
  check(input, report) {
    forInstalls(input, 'pip', (install, r, at) => {
      if (
        install.flags.includes('--no-cache-dir') ||
        mountsCache(r.run, '/root/.cache') ||
        r.run.mounts.some((m) => m.target.includes('.cache/pip'))
      )
        return;
      const env = stageChain(input, r.stage).some((s) =>
        s.instructions.some(
          (i) =>
            i.kind === 'ENV' &&
            i.pairs.some((p) => p.key === 'PIP_NO_CACHE_DIR' && !/^["']?(?:0|false|off|no)?["']?$/i.test(p.value)),
        ),
      );
      if (env) return;
      report({
        range: verbRange(at, r.run),
        params: { tool: install.tool },
        ...(at ? { fix: insertAfter(at, ' --no-cache-dir', 'Add --no-cache-dir') } : {}),
        anchors: [r.run.range.startLine],
      });
    });
  },
});

function pipPinned(p: string): boolean {
  if (/^(?:\.|\/|git\+|https?:)/.test(p) || /\.(?:whl|tar\.gz|zip)$/.test(p)) return true;
  if (/(?:===?|~=|@)/.test(p)) return true;
  return PIP_TOOLS.has(p.toLowerCase());
}

export const pipUnpinned = defineRule({
  id: 'GV1048',
  name: 'pip-unpinned',
  title: 'pip packages without versions',
  description:
    'A bare `pip install flask` installs the newest release at build time, so a rebuild can change behaviour ' +
    'or pull a compromised release. Pin with `==` (or `~=`), or install from a requirements or lock file. ' +
    'pip, setuptools and wheel themselves are exempt.',
  kind: 'dockerfile',
  severity: 'warning',
  message: '{tool} install of unpinned packages: {packages}',
  fixable: false,
  check(input, report) {
    forInstalls(input, 'pip', (install, r, at) => {
      const loose = install.packages.filter((p) => !p.includes('$') && !pipPinned(p));
      if (loose.length > 0)
        report({
          range: verbRange(at, r.run),
          params: { tool: install.tool, packages: loose.join(', ') },
          anchors: [r.run.range.startLine],
        });
    });
  },
});

export const npmInstall = defineRule({
  id: 'GV1049',
  name: 'npm-install-not-ci',
  title: 'npm install where npm ci belongs',
  description:
    '`npm install` resolves versions again and may rewrite package-lock.json, so the image can get ' +
    'different dependencies from the ones tested. `npm ci` installs exactly the lock file and fails when it ' +
    'is out of date. No fix is offered: `npm ci` needs a lock file, which only you can tell is there.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'npm {verb} without packages: use npm ci to install exactly package-lock.json',
  fixable: false,
  check(input, report) {
    forInstalls(input, 'npm', (install, r, at) => {
      if (install.packages.length > 0 || install.flags.some((f) => f === '-g' || f === '--global')) return;
      report({ range: verbRange(at, r.run), params: { verb: install.verb }, anchors: [r.run.range.startLine] });
    });
  },
});

function npmPinned(p: string): boolean {
  if (/^(?:\.|\/|git\+|git:|https?:|github:|file:)/.test(p) || p.endsWith('.tgz')) return true;
  const at = p.indexOf('@', p.startsWith('@') ? 1 : 0);
  if (at < 0) return false;
  const version = p.slice(at + 1);
  return version !== '' && version !== 'latest' && version !== 'next';
}

export const npmUnpinned = defineRule({
  id: 'GV1050',
  name: 'npm-unpinned',
  title: 'npm packages without versions',
  description:
    '`npm install -g typescript` installs whatever is newest at build time (`@latest` and `@next` too). ' +
    'Name a version (`typescript@5.9.3`) so rebuilds install the same code.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'npm {verb} of unpinned packages: {packages}',
  fixable: false,
  check(input, report) {
    forInstalls(input, 'npm', (install, r, at) => {
      const loose = install.packages.filter((p) => !p.includes('$') && !npmPinned(p));
      if (loose.length > 0)
        report({
          range: verbRange(at, r.run),
          params: { verb: install.verb, packages: loose.join(', ') },
          anchors: [r.run.range.startLine],
        });
    });
  },
});

/** A package word without its version: `curl=7.88` → `curl`, `requests[socks]==2` → `requests`, `@a/b@1` → `@a/b`. */
export function packageName(manager: Manager, word: string): string {
  switch (manager) {
    case 'apt':
      return word.split('=')[0]!.split(':')[0]!;
    case 'apk':
      return word.split(/[=~<>]/)[0]!;
    case 'dnf':
      return word.replace(/-\d[\w.:+~-]*$/, '');
    case 'pip':
      return word
        .split(/[=~<>!@[;\s]/)[0]!
        .toLowerCase()
        .replace(/_/g, '-');
    case 'npm': {
      const at = word.indexOf('@', word.startsWith('@') ? 1 : 0);
      return at < 0 ? word : word.slice(0, at);
    }
  }
}

const MANAGER_ALIASES: Record<string, Manager> = {
  apt: 'apt',
  deb: 'apt',
  apk: 'apk',
  dnf: 'dnf',
  yum: 'dnf',
  rpm: 'dnf',
  pip: 'pip',
  pypi: 'pip',
  npm: 'npm',
};

export const prohibitedPackage = defineRule({
  id: 'GV1051',
  name: 'package-prohibited',
  title: 'A package the policy prohibits is installed',
  description:
    "The policy's `packages.prohibited` names packages that must not be installed in images: a name or glob " +
    'for every package manager (`telnet`, `netcat*`), or one prefixed with its manager (`pip:pycrypto`, ' +
    '`npm:event-stream`, `apt:`, `apk:`, `dnf:`/`yum:`). Installs by apt-get, apk, dnf/yum, pip and npm in ' +
    'RUN are checked.',
  kind: 'dockerfile',
  severity: 'error',
  message: '{tool} installs {package}, which the policy prohibits ({entry})',
  fixable: false,
  policy: true,
  check(input, report) {
    const entries = input.policy.packages.prohibited.map((entry) => {
      const m = /^([a-z]+):(.+)$/.exec(entry);
      const manager = m ? MANAGER_ALIASES[m[1]!] : undefined;
      const pattern = manager ? m![2]! : entry;
      return {
        entry,
        manager,
        re: new RegExp(globToRegExp(pattern.toLowerCase()).source.replace(/\[\^\/\]\*/g, '.*'), 'i'),
      };
    });
    if (entries.length === 0) return;
    for (const manager of ['apt', 'apk', 'dnf', 'pip', 'npm'] as const) {
      forInstalls(input, manager, (install: Install, r, at) => {
        for (const word of install.packages) {
          const name = packageName(manager, word);
          const hit = entries.find((e) => (e.manager === undefined || e.manager === manager) && e.re.test(name));
          if (hit)
            report({
              range: verbRange(at, r.run),
              params: { tool: install.tool, package: name, entry: hit.entry },
              anchors: [r.run.range.startLine],
            });
        }
      });
    }
  },
});
