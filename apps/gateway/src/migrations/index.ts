import { CreateApiKeys1764000000000 } from './1764000000000-create-api-keys';

/** In order; never edit one that has landed. */
export const gatewayMigrations = [CreateApiKeys1764000000000];
