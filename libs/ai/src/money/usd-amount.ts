const SCALE = 12;
const UNIT = 10n ** BigInt(SCALE);
const DECIMAL = /^(\d{1,15})(?:\.(\d{1,12}))?$/;

/**
 * An exact USD amount held as an integer count of pico-dollars
 * (1e-12 USD). A token price per million with at most six decimals, times a whole number of
 * tokens, is always a whole number of pico-dollars, so costs are exact — money never
 * passes through a float.
 */
export class UsdAmount {
  static readonly ZERO = new UsdAmount(0n);

  private constructor(readonly picos: bigint) {}

  static fromPicos(picos: bigint): UsdAmount {
    return new UsdAmount(picos);
  }

  /** Parses a decimal such as `0.0005253` (up to 12 decimals); throws on anything else. */
  static parse(text: string): UsdAmount {
    const match = DECIMAL.exec(text.trim());
    if (!match) throw new RangeError(`Not a USD amount: ${JSON.stringify(text)}`);
    const fraction = (match[2] ?? '').padEnd(SCALE, '0');
    return new UsdAmount(BigInt(match[1]) * UNIT + BigInt(fraction));
  }

  static isValid(text: string, maxDecimals = SCALE): boolean {
    const match = DECIMAL.exec(text.trim());
    return match !== null && (match[2] ?? '').length <= maxDecimals;
  }

  plus(other: UsdAmount): UsdAmount {
    return new UsdAmount(this.picos + other.picos);
  }

  minus(other: UsdAmount): UsdAmount {
    return new UsdAmount(this.picos - other.picos);
  }

  /** This amount times a whole number (e.g. tokens). */
  times(count: number | bigint): UsdAmount {
    return new UsdAmount(this.picos * BigInt(count));
  }

  compare(other: UsdAmount): -1 | 0 | 1 {
    return this.picos < other.picos ? -1 : this.picos > other.picos ? 1 : 0;
  }

  isZero(): boolean {
    return this.picos === 0n;
  }

  /** This amount as a percentage of `whole`, rounded down to two decimals. */
  percentOf(whole: UsdAmount): number {
    if (whole.picos === 0n) return this.picos > 0n ? Infinity : 0;
    return Number((this.picos * 10_000n) / whole.picos) / 100;
  }

  /** Whether this amount has reached `percent` % of `whole` (exact). */
  reaches(percent: number, whole: UsdAmount): boolean {
    return this.picos * 100n >= whole.picos * BigInt(percent);
  }

  /** Approximate value, for ranking and metrics only — never for accounting. */
  toNumber(): number {
    return Number(this.picos) / Number(UNIT);
  }

  /** Canonical decimal: no trailing zeros, `0` for zero, e.g. `0.0005253`. */
  toString(): string {
    const negative = this.picos < 0n;
    const magnitude = negative ? -this.picos : this.picos;
    const whole = magnitude / UNIT;
    const fraction = (magnitude % UNIT).toString().padStart(SCALE, '0').replace(/0+$/, '');
    return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
  }

  toJSON(): string {
    return this.toString();
  }

  static max(a: UsdAmount, b: UsdAmount): UsdAmount {
    return a.picos >= b.picos ? a : b;
  }
}
