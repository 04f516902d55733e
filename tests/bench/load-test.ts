import autocannon from "autocannon";
import { processCpuMs } from "./process-cpu.ts";

export interface LoadRequest {
  method?: "GET" | "POST";
  /** Sent with every request (e.g. `authorization`). */
  headers?: Record<string, string>;
  /** Called for every request: the path (with query) and, for POST, the JSON body. */
  next(): { path: string; body?: unknown };
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx responses plus connection errors and timeouts: any of them spoils the figure. */
  failures: number;
  /** CPU time of the server process (or processes) per request (µs), when its pid is known and /proc exists. */
  cpuUs?: number | undefined;
  /** CPU time of the database's server processes per request (µs), when asked for. */
  dbCpuUs?: number | undefined;
}

/**
 * Drive `url` with `connections` concurrent keep-alive connections: a warm-up (not counted), then
 * `seconds` of measurement (with `rate`, at that fixed request rate: latency then measures the server,
 * not the queue a saturating load builds); with `pid`, also the server's CPU time per measured request, and with
 * `databasePids` (asked after the warm-up, when the pool is open) that of the database's processes.
 */
export async function loadTest(
  url: string,
  request: LoadRequest,
  options: {
    connections: number;
    seconds: number;
    warmupSeconds: number;
    /** The server's process, or several (the API process and its plugin host): their CPU is summed. */
    pid?: number | readonly number[] | undefined;
    databasePids?: (() => Promise<number[]>) | undefined;
    /** Requests per second over all connections; absent: as fast as the server answers. */
    rate?: number | undefined;
  },
): Promise<LoadResult> {
  const once = async (duration: number) => {
    const result = await autocannon({
      url,
      connections: options.connections,
      duration,
      ...(options.rate === undefined ? {} : { overallRate: options.rate }),
      method: request.method ?? "GET",
      headers: { ...request.headers, ...(request.method === "POST" ? { "content-type": "application/json" } : {}) },
      requests: [
        {
          setupRequest: (req) => {
            const { path, body } = request.next();
            return { ...req, path, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
          },
        },
      ],
    });
    return {
      requests: result.requests.total,
      rps: result.requests.total / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      failures: result.non2xx + result.errors + result.timeouts,
    };
  };
  if (options.warmupSeconds > 0) await once(options.warmupSeconds);
  const databasePids = options.databasePids ? await options.databasePids() : [];
  const databaseCpu = () => (options.databasePids ? databasePids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0) : undefined);
  const serverPids = options.pid === undefined ? [] : typeof options.pid === "number" ? [options.pid] : options.pid;
  const serverCpu = () => {
    if (serverPids.length === 0) return undefined;
    let sum = 0;
    for (const pid of serverPids) {
      const ms = processCpuMs(pid);
      if (ms === undefined) return undefined;
      sum += ms;
    }
    return sum;
  };
  const cpuBefore = serverCpu();
  const dbBefore = databaseCpu();
  const { requests, ...result } = await once(options.seconds);
  const cpuAfter = serverCpu();
  const dbAfter = databaseCpu();
  const perRequest = (before: number | undefined, after: number | undefined) => (before === undefined || after === undefined || requests === 0 ? undefined : ((after - before) * 1000) / requests);
  return { ...result, cpuUs: perRequest(cpuBefore, cpuAfter), dbCpuUs: perRequest(dbBefore, dbAfter) };
}

/** The mean of several runs of one scenario (failures summed). */
export function meanLoad(results: LoadResult[]): LoadResult {
  const avg = (pick: (r: LoadResult) => number | undefined) => {
    const value = results.reduce((sum, r) => sum + (pick(r) ?? NaN), 0) / results.length;
    return Number.isNaN(value) ? undefined : value;
  };
  return { rps: avg((r) => r.rps)!, p50: avg((r) => r.p50)!, p99: avg((r) => r.p99)!, failures: results.reduce((sum, r) => sum + r.failures, 0), cpuUs: avg((r) => r.cpuUs), dbCpuUs: avg((r) => r.dbCpuUs) };
}

/** The header of `formatLoad`'s columns. */
export const LOAD_COLUMNS = "req/s   p50     p99    CPU      db";

/** `req/s p50 p99 CPU db` in fixed-width columns (CPU: the server's, db: the database's, per request). */
export function formatLoad(r: LoadResult): string {
  const us = (value: number | undefined) => (value === undefined ? "      -" : `${value.toFixed(0).padStart(5)}µs`);
  return `${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(1).padStart(5)}ms ${r.p99.toFixed(1).padStart(6)}ms${us(r.cpuUs)} ${us(r.dbCpuUs)}`;
}

/**
 * `  (CPU 0.93)`: the baseline's CPU per request (server plus database) over the measured one, which is
 * what the throughput ratio would be if only CPU limited both; empty when not measured.
 */
export function cpuRatio(measured: LoadResult, baseline: LoadResult): string {
  const total = (r: LoadResult) => (r.cpuUs === undefined || r.dbCpuUs === undefined ? undefined : r.cpuUs + r.dbCpuUs);
  const [m, b] = [total(measured), total(baseline)];
  return m === undefined || b === undefined ? "" : `  (CPU ${(b / m).toFixed(2)})`;
}
