import type { Engine } from '../engine';
import type { Handlers } from './dispatch';
import { authHandlers } from './auth';
import { buildHandlers } from './builds';
import { definitionHandlers } from './definitions';
import { imageHandlers } from './images';
import { policyHandlers } from './policy';
import { registryHandlers } from './registry';
import { repoHandlers } from './repos';
import { systemHandlers } from './system';
import { webhookHandlers } from './webhooks';

/** Every request of the contract has exactly one handler here; a missing one is a type error. */
export function createHandlers(engine: Engine): Handlers {
  return {
    ...systemHandlers(engine),
    ...authHandlers(engine),
    ...webhookHandlers(engine),
    ...repoHandlers(engine),
    ...registryHandlers(engine),
    ...definitionHandlers(engine),
    ...imageHandlers(engine),
    ...buildHandlers(engine),
    ...policyHandlers(engine),
  };
}
