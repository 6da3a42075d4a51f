/**
 * Which IPC senders the engine answers: only the top frame of a window the shell created, showing our own
 * content. A sub-frame, a foreign page that got into a window, or a webContents we did not create is
 * refused before any handler runs. Plain strings and numbers in, so the rule is unit-tested.
 */

export interface SenderFacts {
  webContentsId: number;
  /** The sending frame's URL; undefined when the frame is gone (navigated or destroyed). */
  frameUrl: string | undefined;
  /** True when the sending frame is its page's top frame. */
  isTopFrame: boolean;
}

export interface SenderPolicy {
  trustedWebContents: { has(id: number): boolean };
  /** `scheme://host[:port]` of the content we load: `app://govc`, and the dev server in development. */
  allowedOrigins: readonly string[];
}

/**
 * `scheme://host[:port]` of a URL. `URL.origin` is "null" for schemes Node does not know (such as `app:`),
 * so it is assembled from the parts.
 */
export function originOf(rawUrl: string): string | undefined {
  try {
    const url = new URL(rawUrl);
    return url.host === '' ? undefined : `${url.protocol}//${url.host}`;
  } catch {
    return undefined;
  }
}

/** Why a sender is refused, or undefined when it is trusted. */
export function senderRejection(facts: SenderFacts, policy: SenderPolicy): string | undefined {
  if (!policy.trustedWebContents.has(facts.webContentsId)) return 'the sender is not a window of this app';
  if (facts.frameUrl === undefined) return 'the sending frame is gone';
  if (!facts.isTopFrame) return 'the sender is a sub-frame';
  const origin = originOf(facts.frameUrl);
  if (origin === undefined || !policy.allowedOrigins.includes(origin)) {
    return `the sending frame shows foreign content (${origin ?? 'no origin'})`;
  }
  return undefined;
}
