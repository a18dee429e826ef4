import { CreateOrchestratorSchema1764000000000 } from './1764000000000-create-orchestrator-schema';

/** In order; never edit one that has landed. */
export const orchestratorMigrations = [CreateOrchestratorSchema1764000000000];
