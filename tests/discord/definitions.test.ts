import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { argsFrom } from '../../src/runtime/args.ts';
import { defineCommand, type CommandDefinition } from '../../src/runtime/module.ts';
import { privateNotice } from '../../src/runtime/reply.ts';
import { testContext } from '../helpers/commands.ts';
import { loadRegistry } from '../../src/runtime/registry.ts';
import { validateCommandDefinition } from './definition-rules.ts';

const registry = await loadRegistry();

describe('command definitions', () => {
  it.each(registry.all.map((c) => [c.definition.name, c.definition] as const))(
    '%s follows Discord’s rules',
    (_, definition) => {
      expect(validateCommandDefinition(definition as never)).toEqual([]);
    },
  );

  it('the checker catches what Discord would reject', () => {
    expect(
      validateCommandDefinition({
        name: 'Bad Name',
        description: '',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'optional', description: 'x' },
          {
            type: ApplicationCommandOptionType.String,
            name: 'required',
            description: 'y'.repeat(101),
            required: true,
          },
        ],
      }),
    ).toHaveLength(4);
  });

  it('every command has a handler for its autocomplete options', () => {
    for (const command of registry.all) {
      const options = 'options' in command.definition ? (command.definition.options ?? []) : [];
      if (options.some((o) => 'autocomplete' in o && o.autocomplete))
        expect(command.autocomplete, command.definition.name).toBeTypeOf('function');
    }
  });
});

describe('definitions drive the rest', () => {
  it('/help lists every command the bot registers', async () => {
    const reply = await registry.get('help')!.execute(
      { args: argsFrom({}), userId: '1' },
      // As the bot runs it: every registered command is on offer (the console offers fewer).
      {
        ...testContext(() => never(), registry),
        commands: () => registry.all.map((c) => c.definition),
      },
    );
    expect(reply.kind).toBe('notice');
    const text = reply.kind === 'notice' ? reply.text : '';
    for (const { definition } of registry.all) {
      const shown =
        definition.type === ApplicationCommandType.Message
          ? definition.name
          : `/${definition.name}`;
      expect(text, definition.name).toContain(shown);
    }
  });

  it('handlers read only the options their definition has (checked by tsc)', () => {
    const definition = {
      type: ApplicationCommandType.ChatInput,
      name: 'demo',
      description: 'Typed arguments',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'question', description: 'q' },
        { type: ApplicationCommandOptionType.Boolean, name: 'hide', description: 'h' },
      ],
    } as const satisfies CommandDefinition;
    const demo = defineCommand(definition, {
      execute({ args }) {
        // @ts-expect-error a misspelt option name does not compile
        args.string('questoin');
        // @ts-expect-error "hide" is a boolean option, not a string one
        args.string('hide');
        return privateNotice(`${args.string('question')} ${args.boolean('hide')}`);
      },
    });
    const reply = demo.execute(
      { args: argsFrom({ question: 'q', hide: true }), userId: '1' },
      testContext(never),
    );
    expect(reply).toEqual(privateNotice('q true'));
  });
});

function never(): never {
  throw new Error('the engine is not needed here');
}
