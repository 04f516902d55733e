interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

const FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 7, names: DAYS },
];

const ITEM = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/;

/**
 * Check a five-field cron expression (minute hour day-of-month month day-of-week; `*`, lists,
 * ranges, steps, and month/day names). Returns what is wrong, or undefined when it is valid.
 *
 * @example
 * checkCron("0 3 * * mon-fri") // undefined
 * checkCron("0 24 * * *")     // "hour 24 is out of range 0-23"
 */
export function checkCron(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`;
  for (const [i, field] of FIELDS.entries()) {
    for (const item of (parts[i] ?? "").toLowerCase().split(",")) {
      const problem = checkItem(item, field);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function checkItem(item: string, field: CronField): string | undefined {
  const match = ITEM.exec(item);
  if (match === null) return `${field.name} "${item}" is not a value, a range or a step`;
  const [, range = "", step] = match;
  if (step !== undefined && (Number(step) < 1 || Number(step) > field.max)) return `${field.name} step ${step} is out of range 1-${field.max}`;
  if (range === "*") return undefined;
  const [from = "", to] = range.split("-");
  const low = value(from, field);
  const high = to === undefined ? low : value(to, field);
  for (const [text, n] of [[from, low], [to, high]] as const) {
    if (text !== undefined && (n === undefined || n < field.min || n > field.max)) return `${field.name} ${text} is out of range ${field.min}-${field.max}`;
  }
  if (low !== undefined && high !== undefined && low > high) return `${field.name} range ${range} runs backwards`;
  return undefined;
}

function value(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text) ?? -1;
  if (index < 0) return undefined;
  return field.names === MONTHS ? index + 1 : index;
}
