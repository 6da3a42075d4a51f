/**
 * The body of the `govc:invoke` handler without electron: check the message's shape, run the request, and
 * turn every outcome into an `InvokeResult`. Nothing is thrown across IPC, because Electron keeps only an
 * error's message and the renderer switches on codes.
 */
import { z } from 'zod';
import type { InvokeResult } from '../../src-shared/contract';
import { GovcError } from '../../src-shared/errors';

export const InvokeMessage = z.object({
  name: z.string().min(1).max(200),
  input: z.unknown(),
});

export type RunRequest = (name: string, input: unknown) => Promise<unknown>;

export async function invokeEnvelope(message: unknown, run: RunRequest): Promise<InvokeResult> {
  const parsed = InvokeMessage.safeParse(message);
  if (!parsed.success) {
    return {
      ok: false,
      error: new GovcError('BAD_REQUEST', 'An invoke message is {name: string, input: unknown}').toJSON(),
    };
  }
  try {
    return { ok: true, value: await run(parsed.data.name, parsed.data.input) };
  } catch (err) {
    return { ok: false, error: GovcError.from(err).toJSON() };
  }
}

export function refusedEnvelope(reason: string): InvokeResult {
  return { ok: false, error: new GovcError('FORBIDDEN', `This frame may not call the engine: ${reason}`).toJSON() };
}
