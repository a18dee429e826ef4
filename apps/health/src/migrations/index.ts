import { CreateHealthSchema1764000000000 } from './1764000000000-create-health-schema';

/** In order; never edit one that has landed. */
export const healthMigrations = [CreateHealthSchema1764000000000];
