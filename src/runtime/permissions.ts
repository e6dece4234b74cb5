/**
 * Who may do what: the bot's one permission model. Every check on a member
 * reads this table, every command's default permissions come from it, and
 * README's moderator table is generated from it (`npm run readme`).
 *
 * Checked on the member who acted, from the interaction, every time: hiding a
 * command or a button is not a permission check.
 *
 * Discord's `default_member_permissions` shows a command only to members with
 * *all* of its bits, so a command's default is one permission: the one a
 * rule names first.
 */
import { bold, PermissionFlagsBits } from 'discord.js';
import type { Invocation } from './module.ts';

/** The Discord permissions the rules name, as the server settings call them. */
const NAMES = new Map<bigint, string>([
  [PermissionFlagsBits.ManageGuild, 'Manage Server'],
  [PermissionFlagsBits.ManageMessages, 'Manage Messages'],
  [PermissionFlagsBits.PinMessages, 'Pin Messages'],
]);

interface Rule {
  /** What the member does, as the README table and refusals say it. */
  readonly action: string;
  /** Any one of these permissions allows it (Administrator always does). Empty: everyone. */
  readonly anyOf: readonly bigint[];
  /** The member who asked the question may do it to their own answer too. */
  readonly asker?: boolean;
  /** Where members do it. */
  readonly where: string;
}

/**
 * A pin is a confirmation: Discord gives Pin Messages to the members a server
 * trusts to choose what stays on top of a channel, which is what pinning one
 * of the bot's answers does. Teaching any question, forgetting and reading
 * the server's gaps is moderation proper: Manage Messages.
 */
export const RULES = {
  ask: {
    action: 'ask, vote 👍/👎, see context and sources, timeline, sources, help',
    anyOf: [],
    where: '/ask, "Answer with sources", buttons under answers',
  },
  deleteAnswer: {
    action: 'delete an answer',
    anyOf: [PermissionFlagsBits.ManageMessages],
    asker: true,
    where: '🗑 Delete under a public answer',
  },
  pin: {
    action: 'pin an answer, which confirms it for its question; pick another of its sentences',
    anyOf: [PermissionFlagsBits.PinMessages, PermissionFlagsBits.ManageMessages],
    where: 'Pin under an answer, "Pin answer" (message menu)',
  },
  teach: {
    action:
      "teach an answer, list and forget confirmed answers, list the server's unanswered questions; a 👎 that decides at once",
    anyOf: [PermissionFlagsBits.ManageMessages],
    where: '/answers teach · learned · gaps, their Forget buttons, 👎',
  },
  feedback: {
    action: 'read the votes',
    anyOf: [PermissionFlagsBits.ManageMessages],
    where: '/feedback',
  },
  changeArticles: {
    action: 'add, list, remove and reload articles; follow and unfollow news feeds',
    anyOf: [PermissionFlagsBits.ManageGuild],
    where:
      '/knowledge add · list · remove · reload · follow · feeds, Add / Cancel under a preview, Unfollow',
  },
  changeSettings: {
    action: 'change server settings (Q&A channels, the news channel)',
    anyOf: [PermissionFlagsBits.ManageGuild],
    where: '/settings',
  },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof RULES;

/** True if the member may do `action` (for an answer: `askerId` is who asked it). */
export function may(
  invocation: Pick<Invocation, 'memberPermissions' | 'userId'>,
  action: Action,
  options: { askerId?: string } = {},
): boolean {
  const rule: Rule = RULES[action];
  if (rule.anyOf.length === 0) return true;
  if (rule.asker && options.askerId !== undefined && invocation.userId === options.askerId)
    return true;
  const permissions = invocation.memberPermissions ?? 0n;
  const allowed = rule.anyOf.reduce((all, flag) => all | flag, PermissionFlagsBits.Administrator);
  return (permissions & allowed) !== 0n;
}

/** "members with Pin Messages or Manage Messages", "the member who asked, or members with …". */
export function whoMay(action: Action, markdown = false): string {
  const rule: Rule = RULES[action];
  if (rule.anyOf.length === 0) return 'everyone';
  const names = rule.anyOf.map((flag) => {
    const name = NAMES.get(flag) ?? String(flag);
    return markdown ? bold(name) : name;
  });
  const members = `members with ${names.join(' or ')}`;
  return rule.asker ? `the member who asked, or ${members}` : members;
}

/** The private note for a member who may not: says who may. */
export function refusal(action: Action, what: string): string {
  return `Only ${whoMay(action, true)} can ${what}.`;
}

/** A command's `default_member_permissions` for the action it is for. */
export function defaultPermissions(action: Action): string {
  const rule: Rule = RULES[action];
  return (rule.anyOf[0] ?? 0n).toString();
}

/** README's moderator table (`npm run readme` writes it, the README test checks it). */
export function permissionsTable(): string {
  const rows = (Object.entries(RULES) as [Action, Rule][]).map(
    ([action, rule]) => `| ${rule.action} | ${whoMay(action)} | ${rule.where} |`,
  );
  return ['| to … | who may | where |', '| --- | --- | --- |', ...rows].join('\n');
}
