/**
 * The one permission model: who may do what, and that each command's default
 * visibility agrees with the rule it is for (Discord shows a command to members
 * holding all of its default permissions, so a default must be one permission
 * the rule accepts).
 */
import { PermissionFlagsBits } from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { may, RULES, type Action } from '../../src/runtime/permissions.ts';
import { loadRegistry, type CommandRegistry } from '../../src/runtime/registry.ts';

const member = (permissions: bigint, userId = 'u1') => ({ memberPermissions: permissions, userId });
const { ManageMessages, PinMessages, ManageGuild, Administrator, SendMessages } =
  PermissionFlagsBits;

let registry: CommandRegistry;
beforeAll(async () => {
  registry = await loadRegistry();
});

describe('who may do what', () => {
  it('Pin Messages alone may pin (and so confirm); so may Manage Messages; a member may not', () => {
    expect(may(member(PinMessages), 'pin')).toBe(true);
    expect(may(member(ManageMessages), 'pin')).toBe(true);
    expect(may(member(SendMessages), 'pin')).toBe(false);
  });

  it('teaching needs Manage Messages; Pin Messages alone is not enough', () => {
    expect(may(member(ManageMessages), 'teach')).toBe(true);
    expect(may(member(PinMessages), 'teach')).toBe(false);
  });

  it('the asker may delete their own answer; others need Manage Messages', () => {
    expect(may(member(SendMessages, 'asker'), 'deleteAnswer', { askerId: 'asker' })).toBe(true);
    expect(may(member(SendMessages, 'other'), 'deleteAnswer', { askerId: 'asker' })).toBe(false);
    expect(may(member(ManageMessages, 'other'), 'deleteAnswer', { askerId: 'asker' })).toBe(true);
  });

  it('articles and settings need Manage Server; Manage Messages is not enough', () => {
    for (const action of ['changeArticles', 'changeSettings'] as const) {
      expect(may(member(ManageGuild), action)).toBe(true);
      expect(may(member(ManageMessages), action)).toBe(false);
    }
  });

  it('an administrator may do everything; no permissions at all may only ask', () => {
    for (const action of Object.keys(RULES) as Action[]) {
      expect(may(member(Administrator), action), action).toBe(true);
      expect(may({ userId: 'u1' }, action), action).toBe(action === 'ask');
    }
  });
});

describe("commands' default permissions", () => {
  const forAction: Record<string, Action> = {
    knowledge: 'changeArticles',
    settings: 'changeSettings',
    answers: 'teach',
    feedback: 'feedback',
    'Pin answer': 'pin',
  };

  it('every command hidden by default is hidden for one permission its rule accepts', () => {
    const hidden = registry.all.filter((c) => c.definition.default_member_permissions);
    expect(hidden.map((c) => c.definition.name).sort()).toEqual(Object.keys(forAction).sort());
    for (const command of hidden) {
      const bits = BigInt(command.definition.default_member_permissions!);
      const rule = RULES[forAction[command.definition.name]!];
      expect(bits & (bits - 1n), `${command.definition.name}: one permission`).toBe(0n);
      expect(rule.anyOf, command.definition.name).toContain(bits);
    }
  });

  it('a member the rule allows passes the check of the handler the command is for', () => {
    for (const [name, action] of Object.entries(forAction)) {
      const bits = BigInt(registry.get(name)!.definition.default_member_permissions!);
      expect(may(member(bits), action), name).toBe(true);
    }
  });
});
