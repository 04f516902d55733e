import { dayNumber, DAY_MS } from "./calendar.ts";
import { instantOf } from "./time-zone.ts";

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * The instant of ISO 8601 date-time text (`2024-05-01T09:30:00Z`, `…+08:00`, `2024-05-01 09:30`).
 * Text without an offset is wall-clock time in `timeZone`; without a `timeZone` it is refused.
 * Undefined when the text is not a valid date-time.
 * @example parseInstant("1970-01-02T00:00:00Z") // 86400000
 */
export function parseInstant(text: string, timeZone?: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = "0", fraction = "", zone] = match;
  const day = dayNumber({ year: Number(y), month: Number(mo), day: Number(d) });
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (day === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  const millisecond = Number(fraction.padEnd(3, "0").slice(0, 3));
  if (zone === undefined) {
    if (timeZone === undefined) return undefined;
    return instantOf({ year: Number(y), month: Number(mo), day: Number(d), hour, minute, second, millisecond }, timeZone);
  }
  const local = day * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
  if (zone === "Z" || zone === "z") return local;
  const [, sign, oh, om] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  if (Number(oh) > 23 || Number(om) > 59) return undefined;
  const offset = (Number(oh) * 60 + Number(om)) * 60_000;
  return sign === "+" ? local - offset : local + offset;
}
