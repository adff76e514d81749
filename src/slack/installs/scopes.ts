/** The bot scopes infoview asks for, as manifest.yml lists them (a test checks both agree); no user scopes. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'im:history',
  'files:write',
  'users:read',
  'users:read.email',
  'canvases:write',
  'files:read',
] as const;
