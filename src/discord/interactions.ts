/**
 * The gateway's entry: each discord.js interaction is parsed once
 * (gateway-incoming.ts) and run by the shared runtime (respond.ts) with the
 * discord.js executor. The HTTP endpoint does the same with its own parser
 * and the REST executor.
 */
import type { Interaction } from 'discord.js';
import { gatewayExecutor } from './executors.ts';
import { incomingFromGateway } from './gateway-incoming.ts';
import { createInteractionRuntime, type RuntimeDependencies } from './respond.ts';

export type InteractionDependencies = RuntimeDependencies;

export function createInteractionHandler(deps: InteractionDependencies) {
  const handle = createInteractionRuntime(deps);
  return async function handleInteraction(interaction: Interaction): Promise<void> {
    // Discord never sends the gateway anything else; nothing to answer otherwise.
    if (!interaction.isRepliable() && !interaction.isAutocomplete()) return;
    await handle(incomingFromGateway(interaction), gatewayExecutor(interaction));
  };
}
