/**
 * Dockerfiles: stages, ARGs, exposed ports, the final CMD/ENTRYPOINT/USER and COPY --from links, read with
 * dockerfile-ast; diagnostics from dockerfile-utils' validator, mapped to our shape.
 */
import { DockerfileParser, type Arg, type Copy, type From, type Instruction } from 'dockerfile-ast';
import { validate, ValidationCode } from 'dockerfile-utils';
import type { Diagnostic, SourceRange, SummaryOf } from '../../../src-shared/contract/definitions';

type Summary = SummaryOf<'dockerfile'>;
type Command = NonNullable<Summary['cmd']>;
type User = NonNullable<Summary['user']>;

interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** LSP ranges are 0-based; ours are 1-based. */
export function fromLsp(r: LspRange): SourceRange {
  return {
    start: { line: r.start.line + 1, column: r.start.character + 1 },
    end: { line: r.end.line + 1, column: r.end.character + 1 },
  };
}

export function analyzeDockerfile(text: string): { summary: Summary; diagnostics: Diagnostic[] } {
  return { summary: summarize(text), diagnostics: diagnose(text) };
}

interface StageState {
  cmd: Command | null;
  entrypoint: Command | null;
  user: User | null;
}

function summarize(text: string): Summary {
  const df = DockerfileParser.parse(text);
  const summary: Summary = { stages: [], args: [], ports: [], cmd: null, entrypoint: null, user: null, copies: [] };
  const states: StageState[] = [];
  const stageByName = new Map<string, number>();
  let stage = -1;
  for (const inst of df.getInstructions()) {
    const range = fromLsp(inst.getRange());
    switch (inst.getKeyword()) {
      case 'FROM': {
        const from = inst as From;
        stage += 1;
        const name = from.getBuildStage();
        const image = from.getImage();
        const baseStage = image === null ? undefined : stageByName.get(image.toLowerCase());
        summary.stages.push({
          index: stage,
          name,
          image,
          baseStage: baseStage ?? null,
          platform: from.getPlatformFlag()?.getValue() ?? null,
          range,
        });
        states.push(baseStage === undefined ? { cmd: null, entrypoint: null, user: null } : { ...states[baseStage]! });
        if (name) stageByName.set(name.toLowerCase(), stage);
        break;
      }
      case 'ARG': {
        const property = (inst as Arg).getProperty();
        if (property) {
          const value = property.getValue();
          summary.args.push({ name: property.getName(), default: value, stage: stage < 0 ? null : stage, range });
        }
        break;
      }
      case 'EXPOSE':
        for (const arg of inst.getArguments()) {
          const [port = '', protocol] = arg.getValue().split('/');
          summary.ports.push({
            port,
            protocol: (protocol ?? 'tcp').toLowerCase(),
            stage: Math.max(stage, 0),
            range: fromLsp(arg.getRange()),
          });
        }
        break;
      case 'CMD':
      case 'ENTRYPOINT': {
        const state = states[stage];
        if (!state) break;
        const command = commandOf(inst, range);
        if (inst.getKeyword() === 'CMD') state.cmd = command;
        else state.entrypoint = command;
        break;
      }
      case 'USER': {
        const state = states[stage];
        if (state) state.user = { value: inst.getArgumentsContent() ?? '', range };
        break;
      }
      case 'COPY': {
        const from = (inst as Copy).getFromFlag()?.getValue();
        if (from && stage >= 0) {
          const fromStage = /^\d+$/.test(from) ? Number(from) : stageByName.get(from.toLowerCase());
          summary.copies.push({
            stage,
            from,
            fromStage: fromStage !== undefined && fromStage < stage ? fromStage : null,
            range,
          });
        }
        break;
      }
      default:
        break;
    }
  }
  const last = states[states.length - 1];
  if (last) Object.assign(summary, last);
  return summary;
}

function commandOf(inst: Instruction, range: SourceRange): Command {
  const raw = (inst.getRawArgumentsContent() ?? '').trim();
  return { value: raw, form: raw.startsWith('[') ? 'exec' : 'shell', range };
}

const SEVERITY: Record<number, Diagnostic['severity']> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'info' };

function diagnose(text: string): Diagnostic[] {
  return validate(text).map((d) => {
    const code = typeof d.code === 'number' ? ValidationCode[d.code] : undefined;
    return {
      severity: SEVERITY[d.severity ?? 1] ?? 'error',
      message: typeof d.message === 'string' ? d.message : d.message.value,
      range: fromLsp(d.range),
      rule: `dockerfile/${(code ?? 'invalid').toLowerCase().replace(/_/g, '-')}`,
      source: 'dockerfile-utils',
    };
  });
}
