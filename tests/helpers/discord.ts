/** Members, permission bits and reply shapes shared by the end-to-end tests. */
import type { RecordedRequest } from '../fixtures/fake-discord.ts';

export const EPHEMERAL = 64;
export const PERMISSIONS = {
  manageGuild: 1n << 5n,
  sendMessages: 1n << 11n,
  manageMessages: 1n << 13n,
} as const;

export const MODERATOR = {
  id: '190000000000000900',
  username: 'mod',
  discriminator: '0',
  global_name: 'Mod',
  avatar: null,
};

export const MEMBER = {
  id: '190000000000000901',
  username: 'member',
  discriminator: '0',
  global_name: 'Member',
  avatar: null,
};

/** The parts of an interaction callback body the tests read. */
export interface CallbackBody {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
    components?: { components: { custom_id: string; label: string; disabled?: boolean }[] }[];
    allowed_mentions?: unknown;
  };
}

export const bodyOf = (request: RecordedRequest) => request.body as CallbackBody;
