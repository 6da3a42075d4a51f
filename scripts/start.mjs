#!/usr/bin/env node
// `npm start`: builds, then opens the desktop app, or, where it cannot run, says why and serves the same
// engine headless (`govc serve`) instead. Arguments after `--` go to the app, or to `govc serve`.
// Electron's binary is looked for by files, never by require('electron'): electron 45 would try to
// download it there, which fails without internet (e2e/support/electron.ts makes the same checks).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const forwarded = process.argv.slice(2);

/** The Electron executable, or why the desktop app cannot start on this machine. */
function desktopAvailability(env = process.env) {
  const packageDir = join(root, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  let executable;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) executable = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
  else if (relative === undefined)
    return { reason: 'the Electron binary is not installed (it is downloaded on first use)' };
  else executable = join(packageDir, 'dist', relative);
  if (!existsSync(executable)) return { reason: `the Electron binary ${executable} is missing` };
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { executable };
}

function build() {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('electron-vite/package.json');
  const cli = join(dirname(manifest), require(manifest).bin['electron-vite']);
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/**
 * Runs the child in its own process group (POSIX), so a terminal's Ctrl+C reaches it once, from here,
 * rather than twice (a second SIGINT would cut its graceful shutdown short). Exits with the child's status.
 */
function runForwardingSignals(command, args, env) {
  const child = spawn(command, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: process.platform !== 'win32',
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (err) => {
    process.stderr.write(`start: could not run ${command}: ${err.message}\n`);
    process.exit(1);
  });
  // A child ended by a signal exits the way a shell reports it: 128 + the signal's number.
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}

const desktop = desktopAvailability();
build();
if (desktop.executable) {
  // Inherited, this variable would make the binary run as plain Node instead of as the app.
  const { ELECTRON_RUN_AS_NODE: _runAsNode, ...env } = process.env;
  runForwardingSignals(desktop.executable, ['.', ...forwarded], env);
} else {
  process.stdout.write(
    `\ngovc Studio desktop is unavailable here: ${desktop.reason}.\n` +
      'Starting the same engine headless instead (govc serve); open the URL it prints in a browser.\n\n',
  );
  runForwardingSignals(process.execPath, [join(root, 'bin', 'govc.mjs'), 'serve', ...forwarded], process.env);
}
