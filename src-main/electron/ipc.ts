/**
 * The engine on IPC: one `govc:invoke` handler that answers trusted senders only and always returns an
 * `InvokeResult`, and engine events forwarded to every trusted window on `govc:event`.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Logger } from 'pino';
import { IPC_CHANNELS } from '../../src-shared/contract';
import { LOCAL_OWNER } from '../core/auth/roles';
import type { Engine } from '../core/engine';
import { invokeEnvelope, refusedEnvelope } from './invoke-envelope';
import { senderRejection, type SenderFacts } from './sender-policy';
import type { TrustedContents } from './trusted-contents';

export interface EngineIpcOptions {
  engine: Engine;
  trusted: TrustedContents;
  allowedOrigins: readonly string[];
  logger: Logger;
}

function senderFacts(event: IpcMainInvokeEvent): SenderFacts {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url,
    isTopFrame: frame !== null && frame.parent === null,
  };
}

/** Wires the engine to IPC; returns the undo. */
export function connectEngineToIpc(options: EngineIpcOptions): () => void {
  const { engine, trusted, allowedOrigins, logger } = options;
  const policy = { trustedWebContents: trusted, allowedOrigins };

  ipcMain.handle(IPC_CHANNELS.invoke, async (event, message: unknown) => {
    const facts = senderFacts(event);
    const rejection = senderRejection(facts, policy);
    if (rejection !== undefined) {
      logger.warn({ sender: facts, reason: rejection }, 'refused an IPC call');
      return refusedEnvelope(rejection);
    }
    // Through engine.call, like every transport, so IPC calls reach the audit log too.
    const result = await invokeEnvelope(message, (name, input) =>
      engine.call(name, input, { principal: LOCAL_OWNER, via: 'ipc' }),
    );
    if (!result.ok && result.error.code === 'INTERNAL') {
      logger.error({ error: result.error }, 'an IPC request failed inside the engine');
    }
    return result;
  });

  const subscription = engine.bus.subscribe((engineEvent) => trusted.broadcast(IPC_CHANNELS.event, engineEvent), {
    onDropped: (reason) => logger.error({ reason }, 'stopped forwarding engine events to windows'),
  });

  return () => {
    subscription.dispose();
    ipcMain.removeHandler(IPC_CHANNELS.invoke);
  };
}
