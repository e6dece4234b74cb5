/** Members, interactions and reply shapes shared by the end-to-end tests. */
import { ApplicationCommandOptionType, InteractionResponseType } from 'discord.js';
import {
  chatInput,
  type FakeDiscord,
  type InteractionContext,
  type JsonObject,
  type PartialInteraction,
  type RecordedRequest,
} from '../fixtures/fake-discord.ts';

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
    allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[] };
    /** Autocomplete results. */
    choices?: { name: string; value: string }[];
  };
}

export const bodyOf = (request: RecordedRequest) => request.body as CallbackBody;

/** `/ask question:…` (plus any other options) as a member sends it. */
export function askCommand(
  question: string,
  context: InteractionContext = {},
  otherOptions: JsonObject[] = [],
): PartialInteraction {
  return chatInput(
    'ask',
    [
      { name: 'question', type: ApplicationCommandOptionType.String, value: question },
      ...otherOptions,
    ],
    context,
  );
}

/** The text a member finally sees: the reply itself, or the edit after a deferral. */
export async function finalReply(
  fake: FakeDiscord,
  request: RecordedRequest,
): Promise<CallbackBody['data']> {
  const body = bodyOf(request);
  if (body.type !== InteractionResponseType.DeferredChannelMessageWithSource) return body.data;
  const token = fake.interactions.get(request.params.interactionId ?? '')?.token;
  const edit = await fake.waitForRequest(
    (r) =>
      r.method === 'PATCH' &&
      r.route.includes(`/webhooks/${fake.applicationId}/${token}/messages/@original`),
  );
  return edit.body as CallbackBody['data'];
}
