import { UsdAmount } from './usd-amount';

describe(UsdAmount.name, () => {
  it('parses and prints decimals exactly, without trailing zeros', () => {
    expect(UsdAmount.parse('0.0005253').toString()).toBe('0.0005253');
    expect(UsdAmount.parse('10.50').toString()).toBe('10.5');
    expect(UsdAmount.parse('3').toString()).toBe('3');
    expect(UsdAmount.parse('0.000000000001').picos).toBe(1n);
    expect(UsdAmount.ZERO.toString()).toBe('0');
  });

  it('adds amounts that a float would get wrong', () => {
    const sum = UsdAmount.parse('0.1').plus(UsdAmount.parse('0.2'));
    expect(sum.toString()).toBe('0.3');
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  it('multiplies by a token count without rounding', () => {
    // $0.15 per million tokens is 150,000 pico-dollars per token.
    const perToken = UsdAmount.fromPicos(UsdAmount.parse('0.15').picos / 1_000_000n);
    expect(perToken.times(7).toString()).toBe('0.00000105');
  });

  it('compares, subtracts and takes percentages', () => {
    const limit = UsdAmount.parse('0.0012');
    const spent = UsdAmount.parse('0.0010506');
    expect(spent.compare(limit)).toBe(-1);
    expect(spent.percentOf(limit)).toBe(87.55);
    expect(spent.reaches(80, limit)).toBe(true);
    expect(spent.reaches(100, limit)).toBe(false);
    expect(limit.minus(spent).toString()).toBe('0.0001494');
    expect(spent.minus(limit).toString()).toBe('-0.0001494');
  });

  it.each(['', '-1', '1e-7', '0.0000000000001', 'abc', '1.'])('rejects %p', (text) => {
    expect(() => UsdAmount.parse(text)).toThrow(RangeError);
  });

  it('checks decimals against a limit', () => {
    expect(UsdAmount.isValid('0.075', 6)).toBe(true);
    expect(UsdAmount.isValid('0.0000001', 6)).toBe(false);
  });
});
