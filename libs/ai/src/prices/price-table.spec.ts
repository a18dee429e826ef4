import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPriceTable } from './default-price-table';
import { PriceTable, PriceTableError } from './price-table';

const entry = (overrides: Record<string, unknown> = {}) => ({
  provider: 'openai',
  inputPerMillion: '0.15',
  outputPerMillion: '0.60',
  contextWindow: 128000,
  ...overrides,
});

describe(PriceTable.name, () => {
  it('computes the exact cost of the tokens a provider reported', () => {
    const table = PriceTable.fromJson({ 'gpt-4o-mini': entry() }, 'test');
    const cost = table.costOf('gpt-4o-mini', { promptTokens: 1234, completionTokens: 567 });
    // 1234 × 0.15 / 1e6 + 567 × 0.60 / 1e6 = 0.0001851 + 0.0003402
    expect(cost.toString()).toBe('0.0005253');
  });

  it('keeps sub-micro-dollar costs exact', () => {
    const table = PriceTable.fromJson({ cheap: entry({ inputPerMillion: '0.075' }) }, 'test');
    expect(table.costOf('cheap', { promptTokens: 7, completionTokens: 0 }).toString()).toBe(
      '0.000000525',
    );
  });

  it('accepts JSON numbers and defaults the quality', () => {
    const table = PriceTable.fromJson(
      { m: entry({ inputPerMillion: 2.5, outputPerMillion: 10 }) },
      'test',
    );
    expect(table.find('m')).toMatchObject({ provider: 'openai', quality: 0.5 });
    expect(table.costOf('m', { promptTokens: 1_000_000, completionTokens: 0 }).toString()).toBe(
      '2.5',
    );
  });

  it.each([
    [{}, /must name at least one model/],
    [{ m: entry({ provider: 'acme' }) }, /"m"\."provider"/],
    [
      { m: entry({ inputPerMillion: '0.0000001' }) },
      /"m"\."inputPerMillion" must be .* 6 decimals/,
    ],
    [{ m: entry({ outputPerMillion: -1 }) }, /"m"\."outputPerMillion"/],
    [{ m: entry({ contextWindow: 0 }) }, /"m"\."contextWindow"/],
    [{ m: entry({ colour: 'red' }) }, /"m"/],
    [[], /^Invalid AI price table test: /],
  ])('rejects %p with one line naming the field', (value, message) => {
    expect(() => PriceTable.fromJson(value, 'test')).toThrow(PriceTableError);
    expect(() => PriceTable.fromJson(value, 'test')).toThrow(message);
  });

  it('names a file that is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prices-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{nope');
    expect(() => PriceTable.fromFile(join(dir, 'missing.json'))).toThrow(
      /^Cannot read AI price table .*missing\.json \(ENOENT\)$/,
    );
    expect(() => PriceTable.fromFile(broken)).toThrow(/broken\.json: not JSON$/);
  });

  it('loads the shipped table, or the file given instead', () => {
    expect(loadPriceTable().find('gpt-4o-mini')?.provider).toBe('openai');
    const dir = mkdtempSync(join(tmpdir(), 'prices-'));
    const file = join(dir, 'prices.json');
    writeFileSync(
      file,
      JSON.stringify({ 'local-small': entry({ provider: 'openai-compatible' }) }),
    );
    expect(
      loadPriceTable(file)
        .models()
        .map((price) => price.model),
    ).toEqual(['local-small']);
  });
});
