import { Inject, Injectable } from '@nestjs/common';
import { ValidationError } from '@jarvis/contracts';
import { AgentRegistry } from '../agents/agent-registry.service';
import { EXECUTABLE_MODULES, ExecutableModule } from '../execution/executable-module';

/** Which domains and actions a task may name: the built-in agents' and those of registered agents. */
@Injectable()
export class TaskCatalog {
  private readonly builtIn: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(
    @Inject(EXECUTABLE_MODULES) modules: ExecutableModule[],
    private readonly registry: AgentRegistry,
  ) {
    this.builtIn = new Map(
      modules.map((module) => [module.name, new Set(Object.keys(module.actions))]),
    );
  }

  /** Throws a validation error naming the known domains or actions. */
  async assertOffered(domain: string, action: string): Promise<void> {
    const registered = await this.registry.offeredActions();
    const actions = new Set([
      ...(this.builtIn.get(domain) ?? []),
      ...(registered.get(domain) ?? []),
    ]);
    if (!this.builtIn.has(domain) && !registered.has(domain)) {
      const known = [...new Set([...this.builtIn.keys(), ...registered.keys()])].sort();
      throw new ValidationError(`Unknown domain "${domain}"`, [
        { field: 'domain', reason: `must be one of ${known.join(', ')}` },
      ]);
    }
    if (!actions.has(action)) {
      throw new ValidationError(`Domain "${domain}" has no action "${action}"`, [
        { field: 'action', reason: `must be one of ${[...actions].sort().join(', ')}` },
      ]);
    }
  }
}
