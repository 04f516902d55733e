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
  /** CPU time of the server process per request (µs), when its pid is known and /proc exists. */
  cpuUs?: number | undefined;
}

/**
 * Drive `url` with `connections` concurrent keep-alive connections: a warm-up (not counted), then
 * `seconds` of measurement; with `pid`, also the server's CPU time per measured request.
 */
export async function loadTest(
  url: string,
  request: LoadRequest,
  options: { connections: number; seconds: number; warmupSeconds: number; pid?: number | undefined },
): Promise<LoadResult> {
  const once = async (duration: number) => {
    const result = await autocannon({
      url,
      connections: options.connections,
      duration,
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
  const cpuBefore = options.pid === undefined ? undefined : processCpuMs(options.pid);
  const { requests, ...result } = await once(options.seconds);
  const cpuAfter = options.pid === undefined ? undefined : processCpuMs(options.pid);
  const cpuUs = cpuBefore === undefined || cpuAfter === undefined || requests === 0 ? undefined : ((cpuAfter - cpuBefore) * 1000) / requests;
  return { ...result, cpuUs };
}

/** The mean of several runs of one scenario (failures summed). */
export function meanLoad(results: LoadResult[]): LoadResult {
  const avg = (pick: (r: LoadResult) => number | undefined) => results.reduce((sum, r) => sum + (pick(r) ?? NaN), 0) / results.length;
  const cpuUs = avg((r) => r.cpuUs);
  return { rps: avg((r) => r.rps), p50: avg((r) => r.p50), p99: avg((r) => r.p99), failures: results.reduce((sum, r) => sum + r.failures, 0), cpuUs: Number.isNaN(cpuUs) ? undefined : cpuUs };
}

/** `req/s p50 p99 CPU` in fixed-width columns. */
export function formatLoad(r: LoadResult): string {
  const cpu = r.cpuUs === undefined ? "" : `${r.cpuUs.toFixed(0).padStart(5)}µs`;
  return `${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(1).padStart(5)}ms ${r.p99.toFixed(1).padStart(6)}ms${cpu}`;
}
