import { loadPriceTable, PriceTableError } from '@jarvis/ai';
import { ConfigError, type JarvisConfig } from '@jarvis/runtime';

/** A price table that cannot be read or is not valid stops the orchestrator with one line. */
export function checkAiConfig(config: JarvisConfig): void {
  try {
    loadPriceTable(config.ai.pricesFile);
  } catch (error) {
    if (!(error instanceof PriceTableError)) throw error;
    throw new ConfigError(`Invalid configuration: AI_PRICES_FILE: ${error.message}`);
  }
}
