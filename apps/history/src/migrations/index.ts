import { CreateHistorySchema1764000000000 } from './1764000000000-create-history-schema';

/** In order; never edit one that has landed. */
export const historyMigrations = [CreateHistorySchema1764000000000];
