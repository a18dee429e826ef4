import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@jarvis/runtime';
import { checkAiConfig } from './check-ai-config';

describe(checkAiConfig.name, () => {
  const file = (content: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'prices-')), 'prices.json');
    writeFileSync(path, content);
    return path;
  };

  it('accepts the shipped table and a valid file', () => {
    expect(() => checkAiConfig(loadConfig({}))).not.toThrow();
    const valid = file(
      '{"m": {"provider": "gemini", "inputPerMillion": "1", "outputPerMillion": "2", "contextWindow": 10}}',
    );
    expect(() => checkAiConfig(loadConfig({ AI_PRICES_FILE: valid }))).not.toThrow();
  });

  it('stops with one line naming AI_PRICES_FILE and the bad field', () => {
    const bad = file(
      '{"m": {"provider": "gemini", "inputPerMillion": "0.0000001", "outputPerMillion": "2", "contextWindow": 10}}',
    );
    const check = () => checkAiConfig(loadConfig({ AI_PRICES_FILE: bad }));
    expect(check).toThrow(ConfigError);
    expect(check).toThrow(
      /^Invalid configuration: AI_PRICES_FILE: Invalid AI price table .*: "m"\."inputPerMillion" must be/,
    );
    expect(() => checkAiConfig(loadConfig({ AI_PRICES_FILE: '/no/such/prices.json' }))).toThrow(
      /AI_PRICES_FILE: Cannot read AI price table \/no\/such\/prices\.json \(ENOENT\)$/,
    );
  });
});
