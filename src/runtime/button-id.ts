/**
 * Button custom ids: "command:button:payload", at most 100 characters
 * (Discord's limit). The command name routes a press back to its module.
 */
import { truncate } from '../render/clip.ts';

export function buttonId(command: string, button: string, payload: string): string {
  return truncate(`${command}:${button}:${payload}`, 100);
}

export function parseButtonId(
  customId: string,
): { command: string; button: string; payload: string } | undefined {
  const match = /^([^:]+):([^:]+):(.*)$/s.exec(customId);
  return match ? { command: match[1]!, button: match[2]!, payload: match[3]! } : undefined;
}
