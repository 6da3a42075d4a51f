import type { Engine } from '../engine';
import type { Handlers } from './dispatch';

export function systemHandlers(
  engine: Engine,
): Pick<Handlers, 'system.info' | 'system.echo' | 'system.settings.get' | 'system.settings.set'> {
  return {
    'system.info': () => ({
      name: 'govc Studio',
      version: engine.version,
      mode: engine.mode,
      platform: `${process.platform}/${process.arch}`,
      node: process.versions.node,
      dataDir: engine.dataDir,
      startedAt: engine.startedAt.toISOString(),
    }),
    'system.settings.get': () => engine.settings.current(),
    'system.settings.set': (change) => engine.settings.update(change),
    'system.echo': ({ message }, ctx) => {
      engine.bus.emit('system.echo', { message }, { actor: ctx.principal.id });
      return { message, receivedAt: new Date().toISOString() };
    },
  };
}
