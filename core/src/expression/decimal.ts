const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** How `Decimal.round` treats the dropped digits. `halfUp` rounds ties away from zero (commercial rounding). */
export type RoundingMode = "halfUp" | "floor" | "ceiling" | "down";

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/**
 * An exact decimal number: `coefficient × 10^-scale`, kept normalised (no trailing zeros after the
 * point), so equal numbers have equal fields and `toString` is canonical. Money never goes through a
 * binary float: `0.1 + 0.2` is exactly `0.3`. Immutable.
 *
 * @example Decimal.parse("0.1")!.plus(Decimal.parse("0.2")!).toString() // "0.3"
 */
export class Decimal {
  readonly coefficient: bigint;
  readonly scale: number;

  private constructor(coefficient: bigint, scale: number) {
    let c = coefficient;
    let s = scale;
    while (s > 0 && c % 10n === 0n) {
      c /= 10n;
      s--;
    }
    if (s < 0) {
      c *= pow10(-s);
      s = 0;
    }
    this.coefficient = c;
    this.scale = s;
  }

  static readonly ZERO = new Decimal(0n, 0);
  static readonly ONE = new Decimal(1n, 0);

  /** `coefficient × 10^-scale`. @example Decimal.of(1234n, 2).toString() // "12.34" */
  static of(coefficient: bigint, scale = 0): Decimal {
    return new Decimal(coefficient, scale);
  }

  /**
   * Parse decimal text (`12`, `-0.50`, `.5`, `1e3`), or undefined when it is not a number or has an
   * exponent beyond ±1000 (no input may make us build a huge BigInt).
   * @example Decimal.parse("1.50")?.toString() // "1.5"
   */
  static parse(text: string): Decimal | undefined {
    const match = DECIMAL_TEXT.exec(text);
    if (!match) return undefined;
    const [, sign, whole = "", fraction = "", exponentText] = match;
    if (whole === "" && fraction === "") return undefined;
    const exponent = exponentText === undefined ? 0 : Number(exponentText);
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) return undefined;
    const digits = BigInt(whole + fraction || "0");
    return new Decimal(sign === "-" ? -digits : digits, fraction.length - exponent);
  }

  /**
   * The decimal a JSON number stands for: its shortest round-trip text, so `0.1` is exactly 0.1, not
   * the binary float's 0.1000000000000000055…; undefined for NaN and infinities.
   * @example Decimal.fromNumber(19.99).toString() // "19.99"
   */
  static fromNumber(value: number): Decimal | undefined {
    if (!Number.isFinite(value)) return undefined;
    return Decimal.parse(String(value));
  }

  plus(other: Decimal): Decimal {
    const scale = Math.max(this.scale, other.scale);
    return new Decimal(this.scaledTo(scale) + other.scaledTo(scale), scale);
  }

  minus(other: Decimal): Decimal {
    return this.plus(other.negated());
  }

  times(other: Decimal): Decimal {
    return new Decimal(this.coefficient * other.coefficient, this.scale + other.scale);
  }

  /**
   * The quotient rounded half-up to `scale` places. The divisor must not be zero.
   * @example Decimal.of(1n).dividedBy(Decimal.of(3n), 4).toString() // "0.3333"
   */
  dividedBy(other: Decimal, scale: number): Decimal {
    if (other.coefficient === 0n) throw new RangeError("Division by zero");
    const numerator = this.coefficient * pow10(other.scale + scale);
    const denominator = other.coefficient * pow10(this.scale);
    return new Decimal(divideRounded(numerator, denominator, "halfUp"), scale);
  }

  /**
   * The remainder of truncated division: it takes the sign of the dividend, as in SQL and JavaScript.
   * The divisor must not be zero.
   * @example Decimal.of(-7n).remainder(Decimal.of(3n)).toString() // "-1"
   */
  remainder(other: Decimal): Decimal {
    if (other.coefficient === 0n) throw new RangeError("Division by zero");
    const scale = Math.max(this.scale, other.scale);
    return new Decimal(this.scaledTo(scale) % other.scaledTo(scale), scale);
  }

  negated(): Decimal {
    return new Decimal(-this.coefficient, this.scale);
  }

  abs(): Decimal {
    return this.coefficient < 0n ? this.negated() : this;
  }

  /** -1, 0 or 1. */
  compare(other: Decimal): number {
    const scale = Math.max(this.scale, other.scale);
    const a = this.scaledTo(scale);
    const b = other.scaledTo(scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(other: Decimal): boolean {
    return this.coefficient === other.coefficient && this.scale === other.scale;
  }

  isZero(): boolean {
    return this.coefficient === 0n;
  }

  isInteger(): boolean {
    return this.scale === 0;
  }

  /** Digits before the point (0 for |x| < 1): how large the number is, for overflow checks. */
  integerDigits(): number {
    const whole = abs(this.coefficient) / pow10(this.scale);
    return whole === 0n ? 0 : whole.toString().length;
  }

  /**
   * Round to `places` digits after the point (negative places round to tens, hundreds…).
   * @example Decimal.parse("2.345")!.round(2).toString() // "2.35"
   * @example Decimal.parse("-2.5")!.round(0).toString() // "-3"
   */
  round(places: number, mode: RoundingMode = "halfUp"): Decimal {
    if (this.scale <= places) return this;
    return new Decimal(divideRounded(this.coefficient, pow10(this.scale - places), mode), places);
  }

  /** The integer value as a JS number, when it is a safe integer; undefined otherwise. */
  toSafeInteger(): number | undefined {
    if (this.scale !== 0) return undefined;
    const n = Number(this.coefficient);
    return Number.isSafeInteger(n) ? n : undefined;
  }

  /** The nearest JS number (what a JSON response carries). */
  toNumber(): number {
    return Number(this.toString());
  }

  /**
   * Plain decimal text, never an exponent; `places` pads or rounds to exactly that many fraction digits.
   * @example Decimal.parse("1.5")!.toFixed(2) // "1.50"
   */
  toFixed(places: number): string {
    const rounded = this.round(places);
    const digits = abs(rounded.scaledTo(places)).toString().padStart(places + 1, "0");
    const sign = rounded.coefficient < 0n ? "-" : "";
    if (places === 0) return sign + digits;
    return `${sign}${digits.slice(0, -places)}.${digits.slice(-places)}`;
  }

  toString(): string {
    return this.toFixed(this.scale);
  }

  private scaledTo(scale: number): bigint {
    return this.coefficient * pow10(scale - this.scale);
  }
}

/** `numerator / denominator` as an integer, rounded by `mode`. */
function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  const quotient = numerator / denominator;
  const rest = numerator % denominator;
  if (rest === 0n) return quotient;
  const negative = numerator < 0n !== denominator < 0n;
  switch (mode) {
    case "down":
      return quotient;
    case "floor":
      return negative ? quotient - 1n : quotient;
    case "ceiling":
      return negative ? quotient : quotient + 1n;
    case "halfUp":
      if (abs(rest) * 2n < abs(denominator)) return quotient;
      return negative ? quotient - 1n : quotient + 1n;
  }
}
