/**
 * What a build reports while it runs, as data: the CLI prints it BuildKit-style (`--progress plain`) or as
 * JSON lines, the desktop app and the server can stream the same events.
 */
export type BuildEvent =
  | { type: 'step'; id: number; stage: string; position: number; total: number; text: string }
  | { type: 'cached'; id: number }
  | { type: 'miss'; id: number; reason: string }
  | { type: 'output'; id: number; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'done'; id: number; seconds: number }
  | { type: 'failed'; id: number; seconds: number; message: string }
  | { type: 'image'; digest: string; tags: string[] }
  | { type: 'export'; output: string };

/** One event as BuildKit's plain progress prints it (`#3 [app 2/4] RUN make`, `#3 CACHED`, `#3 DONE 0.4s`). */
export function formatPlain(event: BuildEvent): string[] {
  switch (event.type) {
    case 'step':
      return [`#${event.id} [${event.stage} ${event.position}/${event.total}] ${event.text}`];
    case 'cached':
      return [`#${event.id} CACHED`];
    case 'miss':
      return [`#${event.id} cache miss: ${event.reason}`];
    case 'output':
      return event.text
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => `#${event.id} ${line}`);
    case 'done':
      return [`#${event.id} DONE ${event.seconds.toFixed(1)}s`];
    case 'failed':
      return [`#${event.id} ERROR ${event.message.split('\n', 1)[0]} (${event.seconds.toFixed(1)}s)`];
    case 'image':
      return event.tags.map((tag) => `naming to ${tag}`);
    case 'export':
      return [`exported ${event.output}`];
  }
}

/** Plain progress with output joined into whole lines: a command's chunks rarely end at a newline. */
export class PlainProgress {
  private readonly partial = new Map<number, string>();

  lines(event: BuildEvent): string[] {
    if (event.type === 'output') {
      const text = (this.partial.get(event.id) ?? '') + event.text;
      const cut = text.lastIndexOf('\n');
      this.partial.set(event.id, text.slice(cut + 1));
      return cut === -1 ? [] : formatPlain({ ...event, text: text.slice(0, cut + 1) });
    }
    const lines: string[] = [];
    if ((event.type === 'done' || event.type === 'failed') && this.partial.get(event.id)) {
      lines.push(...formatPlain({ type: 'output', id: event.id, stream: 'stdout', text: this.partial.get(event.id)! }));
      this.partial.delete(event.id);
    }
    return [...lines, ...formatPlain(event)];
  }
}
