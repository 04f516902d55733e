import { HostCallError } from "./host-call-error.ts";
import type { BudgetUsage, CountedBudget, HostMethod, JsonValue, SandboxBudgets } from "./types.ts";

const WRITES: ReadonlySet<string> = new Set(["records.create", "records.update", "records.delete"]);

/** Thrown into the plugin when a counted budget runs out. */
export class BudgetExceededError extends HostCallError {
  override name = "BudgetExceededError";
  readonly budget: CountedBudget;

  constructor(budget: CountedBudget, limit: number) {
    super("BUDGET_EXCEEDED", `Budget exceeded: ${budget} (at most ${limit} per invocation).`);
    this.budget = budget;
  }
}

export type Dispatch = (method: HostMethod, args: JsonValue[]) => Promise<JsonValue>;

/**
 * Counts one invocation's host calls against its budgets. Calls, writes and requests are refused
 * before they reach the host; rows read are counted from what the host returns, and `find` asks
 * for at most one row more than is left. Once a budget has run out, every later call is refused
 * with the same error, so a plugin cannot catch its way past it.
 *
 * @example
 * const meter = createInvocationMeter(budgets);
 * await meter.call("records.find", ["account", {}], dispatch); meter.usage.rowsRead // rows returned
 */
export function createInvocationMeter(budgets: SandboxBudgets) {
  const usage: BudgetUsage = { hostCalls: 0, rowsRead: 0, rowsWritten: 0, outboundRequests: 0 };
  let exceeded: CountedBudget | undefined;

  const exceed = (budget: CountedBudget): never => {
    exceeded ??= budget;
    throw new BudgetExceededError(exceeded, budgets[exceeded]);
  };
  /** Spend before the call happens: refused calls cost nothing. */
  const spend = (budget: CountedBudget, amount: number) => {
    if (exceeded !== undefined || usage[budget] + amount > budgets[budget]) exceed(budget);
    usage[budget] += amount;
  };
  /** Rows the host has already read are counted even when they overdraw the budget. */
  const countRows = (rows: number) => {
    usage.rowsRead += rows;
    if (usage.rowsRead > budgets.rowsRead) exceed("rowsRead");
  };

  return {
    usage,
    get exceeded(): CountedBudget | undefined {
      return exceeded;
    },
    async call(method: HostMethod, args: JsonValue[], dispatch: Dispatch): Promise<JsonValue> {
      spend("hostCalls", 1);
      if (WRITES.has(method)) spend("rowsWritten", 1);
      if (method === "http.fetch") spend("outboundRequests", 1);
      if (method === "records.get" && usage.rowsRead >= budgets.rowsRead) exceed("rowsRead");
      if (method === "records.find") args = [args[0] ?? null, limitQuery(args[1], budgets.rowsRead - usage.rowsRead + 1), ...args.slice(2)];
      const result = await dispatch(method, args);
      if (method === "records.find") countRows(pageSize(result));
      if (method === "records.get" && result !== null) countRows(1);
      return result;
    },
  };
}

export type InvocationMeter = ReturnType<typeof createInvocationMeter>;

function pageSize(page: JsonValue): number {
  const items = typeof page === "object" && page !== null && !Array.isArray(page) ? page["items"] : undefined;
  return Array.isArray(items) ? items.length : 0;
}

function limitQuery(query: JsonValue | undefined, most: number): JsonValue {
  const object = typeof query === "object" && query !== null && !Array.isArray(query) ? query : {};
  const asked = typeof object["limit"] === "number" ? object["limit"] : Infinity;
  return { ...object, limit: Math.max(0, Math.min(asked, most)) };
}
