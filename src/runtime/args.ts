/**
 * Command arguments from plain values, for runtimes that are not Discord:
 * the console (its text fills the command's first string option) and tests.
 */
import type { ArgsByName, AttachmentArg } from './module.ts';

export type ArgValue = string | boolean | AttachmentArg;

/** Arguments holding exactly these values; a getter of the wrong type finds nothing. */
export function argsFrom(
  values: Readonly<Record<string, ArgValue>>,
  subcommand?: string,
): ArgsByName {
  const ofType =
    <T>(is: (value: ArgValue) => value is ArgValue & T) =>
    (name: string): T | undefined => {
      const value = values[name];
      return value !== undefined && is(value) ? value : undefined;
    };
  const text = ofType<string>((v): v is string => typeof v === 'string');
  return {
    string: text,
    boolean: ofType<boolean>((v): v is boolean => typeof v === 'boolean'),
    user: text,
    channel: text,
    attachment: ofType<AttachmentArg>((v): v is AttachmentArg => typeof v === 'object'),
    subcommand: () => subcommand,
  };
}
