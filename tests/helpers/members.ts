/** Members and permission bits the end-to-end tests act as. */
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
