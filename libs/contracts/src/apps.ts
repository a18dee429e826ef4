/** The four apps of the suite; each is its own process, NATS queue group and schema. */
export const APP_NAMES = ['gateway', 'orchestrator', 'health', 'history'] as const;
export type AppName = (typeof APP_NAMES)[number];
