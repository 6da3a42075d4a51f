/**
 * The instructions that carry commands or files: RUN, COPY/ADD, CMD/ENTRYPOINT and HEALTHCHECK, with their
 * flags, heredocs and exec/shell forms.
 */
import { type AstNode, parseHeredocMarker, type RawHeredoc } from './ast';
import type { FlagValues } from './flags';
import type { BuildContext, InstructionBody } from './instructions';
import { parseMount } from './mount';
import { ProblemError } from './problems';
import { noEnv, processWords } from './shell-lexer';
import type { CommandForm, Heredoc, Instruction } from './types';
import { chompTabs, parseGoDuration, validateChmod } from './values';
import { parseJsonArray, splitFields } from './words';

type Body<K extends Instruction['kind']> = Extract<InstructionBody, { kind: K }>;

/** Exec form when the text is a JSON array of strings; otherwise shell form, as Docker falls back. */
export function commandForm(rest: string, upper: string, allowEmpty: boolean): CommandForm {
  const json = parseJsonArray(rest);
  if (json.ok) return { form: 'exec', argv: json.values };
  if (json.notStrings) throw new ProblemError('BAD_ARGUMENT', `${upper}: a JSON array must contain only strings`);
  if (rest === '' && !allowEmpty) throw new ProblemError('BAD_ARGUMENT', `${upper} requires at least one argument`);
  return { form: 'shell', command: rest };
}

const NETWORKS = new Set(['default', 'none', 'host']);
const SECURITY = new Set(['sandbox', 'insecure']);

export function buildRun(node: AstNode, flags: FlagValues, ctx: BuildContext): Body<'RUN'> {
  const command = commandForm(node.rest, 'RUN', false);
  let sshIndex = 0;
  const mounts = flags.list('mount').map((text) => {
    const mount = parseMount(text, { expand: (v) => ctx.x.word(v), expanding: ctx.x.active, sshIndex });
    if (mount.type === 'ssh') sshIndex++;
    return mount;
  });
  const network = flags.string('network') ?? 'default';
  if (!NETWORKS.has(network)) {
    throw new ProblemError(
      'BAD_FLAG',
      `unsupported network mode "${network}" (one of default, none, host)`,
      '--network',
    );
  }
  const security = flags.string('security');
  if (security !== undefined && !SECURITY.has(security)) {
    throw new ProblemError(
      'BAD_FLAG',
      `unsupported security mode "${security}" (one of sandbox, insecure)`,
      '--security',
    );
  }
  const heredocs = node.heredocs.map((raw) => runHeredoc(raw, command));
  return {
    kind: 'RUN',
    command,
    heredocs,
    mounts,
    network: network as Body<'RUN'>['network'],
    ...(security === undefined ? {} : { security: security as 'sandbox' | 'insecure' }),
  };
}

/** RUN heredocs are expanded by the shell at run time, so only tabs are handled here. */
function runHeredoc(raw: RawHeredoc, command: CommandForm): Heredoc {
  const path = command.form === 'shell' ? redirectTarget(command.command, raw.name) : undefined;
  return {
    name: raw.name,
    content: raw.chomp ? chompTabs(raw.content) : raw.content,
    expand: raw.expand,
    chomp: raw.chomp,
    ...(path === undefined ? {} : { path }),
  };
}

const SEPARATORS = new Set(['&&', '||', ';', '|', '&']);

/** `cat <<EOF > /etc/x` or `cat > /etc/x <<EOF`: the file the heredoc's command writes, when plain to see. */
function redirectTarget(command: string, name: string): string | undefined {
  let words: string[];
  try {
    words = processWords(command, noEnv, { rawQuotes: true });
  } catch {
    return undefined;
  }
  const at = words.findIndex((word) => parseHeredocMarker(word, '\\')?.name === name);
  if (at < 0) return undefined;
  let start = at;
  while (start > 0 && !SEPARATORS.has(words[start - 1] as string)) start--;
  for (let i = start; i < words.length && !SEPARATORS.has(words[i] as string); i++) {
    const word = words[i] as string;
    if (word === '>' || word === '>>') return unquote(words[i + 1]);
    const inline = /^>>?(.+)$/.exec(word);
    if (inline) return unquote(inline[1]);
  }
  return undefined;
}

function unquote(word: string | undefined): string | undefined {
  return word === undefined ? undefined : processWords(word, noEnv)[0];
}

export function buildCopy(node: AstNode, flags: FlagValues, ctx: BuildContext): Body<'COPY' | 'ADD'> {
  const kind = node.keyword === 'copy' ? 'COPY' : 'ADD';
  const json = parseJsonArray(node.rest);
  if (!json.ok && json.notStrings)
    throw new ProblemError('BAD_ARGUMENT', `${kind}: a JSON array must contain only strings`);
  const args = json.ok ? json.values : splitFields(node.rest);
  if (args.length < 2) {
    throw new ProblemError(
      'BAD_ARGUMENT',
      `${kind} requires at least two arguments, but only ${args.length === 0 ? 'none was' : 'one was'} provided. Destination could not be determined`,
    );
  }
  const rawDest = args[args.length - 1] as string;
  if (!json.ok && parseHeredocMarker(rawDest, ctx.escape)) {
    throw new ProblemError('BAD_ARGUMENT', `${kind} cannot accept a heredoc as a destination`, rawDest);
  }
  const dest = ctx.x.word(rawDest);
  const byName = new Map(node.heredocs.map((doc) => [doc.name, doc]));
  const sources: string[] = [];
  const heredocs: Heredoc[] = [];
  const sourceWords = args.slice(0, -1);
  for (const word of sourceWords) {
    const marker = json.ok ? undefined : parseHeredocMarker(word, ctx.escape);
    const doc = marker && byName.get(marker.name);
    if (!doc) {
      sources.push(ctx.x.word(word));
      continue;
    }
    const content = doc.chomp ? chompTabs(doc.content) : doc.content;
    // A single heredoc into a file path is written there; otherwise it lands in the directory under its name.
    const intoDir = dest.endsWith('/') || sourceWords.length > 1;
    heredocs.push({
      name: doc.name,
      content: doc.expand ? ctx.x.body(content) : content,
      expand: doc.expand,
      chomp: doc.chomp,
      path: intoDir ? `${dest.replace(/\/+$/, '')}/${doc.name}` : dest,
    });
  }
  const from = flags.string('from');
  if (from !== undefined && from.includes('$')) {
    throw new ProblemError(
      'BAD_FLAG',
      'variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround',
      '--from',
    );
  }
  const chown = flags.string('chown');
  const chmod = flags.string('chmod');
  const checksum = flags.string('checksum');
  const expandedChmod = chmod === undefined ? undefined : ctx.x.word(chmod);
  if (expandedChmod !== undefined && (ctx.x.active || !expandedChmod.includes('$'))) {
    try {
      validateChmod(expandedChmod);
    } catch (error) {
      throw new ProblemError('BAD_FLAG', (error as Error).message, '--chmod');
    }
  }
  return {
    kind,
    sources,
    dest,
    heredocs,
    ...(from === undefined ? {} : { from }),
    ...(chown === undefined ? {} : { chown: ctx.x.word(chown) }),
    ...(expandedChmod === undefined ? {} : { chmod: expandedChmod }),
    link: flags.bool('link'),
    excludes: flags.list('exclude'),
    parents: flags.bool('parents'),
    ...(checksum === undefined ? {} : { checksum: ctx.x.word(checksum) }),
    ...(kind === 'ADD' ? { keepGitDir: flags.bool('keep-git-dir') } : {}),
  };
}

const MIN_DURATION_NS = 1e6;
const DURATION_FLAGS = [
  ['interval', 'interval'],
  ['timeout', 'timeout'],
  ['start-period', 'startPeriod'],
  ['start-interval', 'startInterval'],
] as const;

export function buildHealthcheck(node: AstNode, flags: FlagValues): Body<'HEALTHCHECK'> {
  const match = /^(\S+)\s*(.*)$/s.exec(node.rest);
  if (!match) throw new ProblemError('BAD_ARGUMENT', 'HEALTHCHECK requires at least one argument');
  const type = (match[1] as string).toUpperCase();
  const rest = match[2] as string;
  if (type === 'NONE') {
    if (rest !== '') throw new ProblemError('BAD_ARGUMENT', 'HEALTHCHECK NONE takes no arguments');
    if (node.flags.length > 0) {
      throw new ProblemError('BAD_FLAG', 'HEALTHCHECK NONE takes no flags', `--${node.flags[0]?.name}`);
    }
    return { kind: 'HEALTHCHECK', test: ['NONE'] };
  }
  if (type !== 'CMD') throw new ProblemError('BAD_ARGUMENT', `Unknown type "${type}" in HEALTHCHECK (try CMD)`);
  const command = commandForm(rest, 'HEALTHCHECK CMD', true);
  const test: Body<'HEALTHCHECK'>['test'] =
    command.form === 'exec' ? ['CMD', ...command.argv] : ['CMD-SHELL', command.command];
  if ((command.form === 'exec' && command.argv.length === 0) || (command.form === 'shell' && command.command === '')) {
    throw new ProblemError('BAD_ARGUMENT', 'Missing command after HEALTHCHECK CMD');
  }
  const result: Body<'HEALTHCHECK'> = { kind: 'HEALTHCHECK', test };
  for (const [flag, field] of DURATION_FLAGS) {
    const text = flags.string(flag);
    if (text === undefined || text === '') continue;
    let ns: number;
    try {
      ns = parseGoDuration(text);
    } catch (error) {
      throw new ProblemError('BAD_FLAG', `--${flag}: ${(error as Error).message}`, `--${flag}`);
    }
    if (ns !== 0 && ns < MIN_DURATION_NS) {
      throw new ProblemError('BAD_FLAG', `Interval "${flag}" cannot be less than 1ms`, `--${flag}`);
    }
    result[field] = ns;
  }
  const retries = flags.string('retries');
  if (retries !== undefined && retries !== '') {
    if (!/^[-+]?\d+$/.test(retries))
      throw new ProblemError('BAD_FLAG', `--retries: invalid number ${retries}`, '--retries');
    const count = Number(retries);
    if (count < 0) throw new ProblemError('BAD_FLAG', `--retries cannot be negative (${count})`, '--retries');
    result.retries = count;
  }
  return result;
}
