import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../src/command/registry.ts';
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
          { type: 3, name: 'optional', description: 'x' },
          { type: 3, name: 'required', description: 'y'.repeat(101), required: true },
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
