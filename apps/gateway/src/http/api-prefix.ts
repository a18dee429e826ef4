/** Every REST route of the gateway lives under this prefix and needs an API key. */
export const API_PREFIX = 'api/v1';
