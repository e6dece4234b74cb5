/**
 * Discord's rules for application command definitions, as a checker that
 * returns every violation (empty = valid).
 */
const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

interface OptionLike {
  type?: number;
  name?: string;
  description?: string;
  required?: boolean;
  options?: OptionLike[];
  choices?: { name: string; value: unknown }[];
  max_length?: number;
  min_length?: number;
  autocomplete?: boolean;
}

interface DefinitionLike extends OptionLike {
  default_member_permissions?: string | null;
}

const CHAT_INPUT = 1;
const SUBCOMMAND_TYPES = new Set([1, 2]);

function checkOptions(options: OptionLike[], where: string, problems: string[]): void {
  if (options.length > 25) problems.push(`${where}: more than 25 options`);
  let optionalSeen = false;
  for (const option of options) {
    const at = `${where} › ${option.name}`;
    if (!option.name || !NAME.test(option.name) || option.name !== option.name.toLowerCase()) {
      problems.push(`${at}: name must be 1–32 lowercase letters, digits, - or _`);
    }
    if (!option.description || option.description.length > 100)
      problems.push(`${at}: description must be 1–100 characters`);
    if (option.required && optionalSeen)
      problems.push(`${at}: required options must come before optional ones`);
    if (!option.required) optionalSeen = true;
    if (option.autocomplete && option.choices?.length)
      problems.push(`${at}: autocomplete and choices exclude each other`);
    if ((option.choices?.length ?? 0) > 25) problems.push(`${at}: more than 25 choices`);
    if (option.max_length !== undefined && (option.max_length < 1 || option.max_length > 6000)) {
      problems.push(`${at}: max_length must be 1–6000`);
    }
    if (option.type !== undefined && SUBCOMMAND_TYPES.has(option.type))
      checkOptions(option.options ?? [], at, problems);
  }
}

export function validateCommandDefinition(definition: DefinitionLike): string[] {
  const problems: string[] = [];
  const type = definition.type ?? CHAT_INPUT;
  const name = definition.name ?? '';
  if (type === CHAT_INPUT) {
    if (!NAME.test(name) || name !== name.toLowerCase())
      problems.push(`${name}: name must be 1–32 lowercase letters, digits, - or _`);
    if (!definition.description || definition.description.length > 100)
      problems.push(`${name}: description must be 1–100 characters`);
    checkOptions(definition.options ?? [], name, problems);
  } else {
    // Context-menu commands: any case and spaces, 1–32 characters, no description or options.
    if (name.length < 1 || name.length > 32) problems.push(`${name}: name must be 1–32 characters`);
    if (definition.description) problems.push(`${name}: context-menu commands take no description`);
    if (definition.options?.length) problems.push(`${name}: context-menu commands take no options`);
  }
  return problems;
}
