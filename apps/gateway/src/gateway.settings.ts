/** Gateway-only settings derived from the configuration. */
export interface GatewaySettings {
  /** How long `POST /execute` waits for the orchestrator. */
  executeTimeoutMs: number;
}

export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');
