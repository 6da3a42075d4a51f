/**
 * The webContents of windows the shell created. IPC answers only these, and engine events go only to
 * these; an entry leaves when its webContents is destroyed, so a closed window is never sent to.
 */

/** The part of Electron's WebContents this registry uses (so tests can pass a fake). */
export interface TrackedContents {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
}

export class TrustedContents<T extends TrackedContents = TrackedContents> {
  private readonly byId = new Map<number, T>();

  add(contents: T): void {
    const id = contents.id;
    this.byId.set(id, contents);
    contents.once('destroyed', () => this.byId.delete(id));
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** Sends to every live trusted webContents. */
  broadcast(channel: string, payload: unknown): void {
    for (const contents of this.byId.values()) {
      if (!contents.isDestroyed()) contents.send(channel, payload);
    }
  }
}
