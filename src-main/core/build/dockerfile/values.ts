/**
 * Typed values inside instructions, parsed the way Docker parses them: Go durations, byte sizes, booleans,
 * port specs, signals and chmod modes. Each throws a plain Error whose message the caller locates.
 */

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's time.ParseDuration (e.g. `1h30m`, `1.5s`, `300ms`), in nanoseconds. */
export function parseGoDuration(text: string): number {
  const match = /^([-+]?)(.*)$/s.exec(text) as RegExpExecArray;
  const sign = match[1] === '-' ? -1 : 1;
  let rest = match[2] as string;
  if (rest === '0') return 0;
  if (rest === '') throw new Error(`time: invalid duration "${text}"`);
  let total = 0;
  while (rest !== '') {
    const part = /^(\d*)(?:\.(\d*))?([^\d.]+)/.exec(rest);
    if (!part || (part[1] === '' && (part[2] ?? '') === '')) throw new Error(`time: invalid duration "${text}"`);
    const unit = DURATION_UNITS[part[3] as string];
    if (unit === undefined) throw new Error(`time: unknown unit "${part[3]}" in duration "${text}"`);
    const whole = Number(part[1] || '0');
    const fraction = part[2] ? Number(`0.${part[2]}`) : 0;
    total += Math.round((whole + fraction) * unit);
    rest = rest.slice(part[0].length);
  }
  return sign * total;
}

/** docker/go-units RAMInBytes: `64m`, `1g`, `512KiB`, binary multiples. */
export function parseRamBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (!match) throw new Error(`invalid size: '${text}'`);
  const power = ' kmgtp'.indexOf((match[2] ?? ' ').toLowerCase());
  return Math.floor(Number(match[1]) * 1024 ** power);
}

/** Go's strconv.ParseBool. */
export function parseGoBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new Error(`invalid boolean value: ${text}`);
}

export type PortSpec = { port: number; endPort?: number; protocol: 'tcp' | 'udp' | 'sctp' };

/** `80`, `80/udp`, `8000-8010/tcp`; the protocol is case-insensitive and defaults to tcp. */
export function parsePortSpec(text: string): PortSpec {
  const match = /^(\d+)(?:-(\d+))?(?:\/([A-Za-z]+))?$/.exec(text);
  if (!match) throw new Error(`invalid port specification: "${text}"`);
  const protocol = (match[3] ?? 'tcp').toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp') {
    throw new Error(`invalid proto: ${match[3]}`);
  }
  const port = Number(match[1]);
  const endPort = match[2] === undefined ? undefined : Number(match[2]);
  if (port < 0 || port > 65535 || (endPort !== undefined && (endPort > 65535 || endPort < port))) {
    throw new Error(`invalid port range: "${text}"`);
  }
  return endPort === undefined || endPort === port ? { port, protocol } : { port, endPort, protocol };
}

const SIGNALS = new Set(
  (
    'ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT STOP SYS TERM ' +
    'TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX'
  ).split(' '),
);

/** A signal name (with or without SIG) or number, as moby's signal.ParseSignal accepts. */
export function validateSignal(text: string): void {
  if (/^\d+$/.test(text)) {
    if (Number(text) === 0) throw new Error(`invalid signal: ${text}`);
    return;
  }
  const name = text.toUpperCase().replace(/^SIG/, '');
  const realtime = /^RT(MIN|MAX)([+-]\d+)?$/.exec(name);
  if (SIGNALS.has(name) || realtime) return;
  throw new Error(`invalid signal: ${text}`);
}

/** `--chmod`: an octal mode or symbolic clauses such as `u+x,go-w`. */
export function validateChmod(text: string): void {
  if (/^[0-7]{1,4}$/.test(text)) return;
  if (/^[ugoa]*[-+=][rwxXst]*(,[ugoa]*[-+=][rwxXst]*)*$/.test(text)) return;
  throw new Error(`invalid chmod value: ${text}`);
}

/** A heredoc body for `<<-`: leading tabs removed from every line. */
export function chompTabs(content: string): string {
  return content.replace(/^\t+/gm, '');
}
