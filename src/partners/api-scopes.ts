/** The scopes of the sample API (what `@RequireScopes` asks for), the only ones a partner is granted. */
export const API_SCOPES: readonly string[] = [
  'list:users',
  'read:users',
  'create:users',
  'delete:users',
];
