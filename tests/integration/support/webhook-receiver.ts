import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  requests: ReceivedRequest[];
  /** Requests to `path`, in arrival order. */
  to(path: string): ReceivedRequest[];
  /** Answer 500 to the next `count` requests to `path` (Infinity: always). */
  failNext(path: string, count: number): void;
  /** Take `ms` to answer requests to `path`. */
  delay(path: string, ms: number): void;
}

/** A real HTTP receiver on 127.0.0.1 for the enclosing suite: records every request, answers 200 unless told to fail. */
export function useWebhookReceiver(): WebhookReceiver {
  const failures = new Map<string, number>();
  const delays = new Map<string, number>();
  const receiver = { origin: "", port: 0, requests: [] as ReceivedRequest[] } as WebhookReceiver;
  receiver.to = (path) => receiver.requests.filter((r) => r.path === path);
  receiver.failNext = (path, count) => void failures.set(path, count);
  receiver.delay = (path, ms) => void delays.set(path, ms);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      receiver.requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: performance.now() });
      const left = failures.get(path) ?? 0;
      if (left > 0) failures.set(path, left - 1);
      const answer = () => res.writeHead(left > 0 ? 500 : 200, { "content-type": "text/plain" }).end(left > 0 ? "boom" : "ok");
      setTimeout(answer, delays.get(path) ?? 0);
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    receiver.port = (server.address() as AddressInfo).port;
    receiver.origin = `http://127.0.0.1:${receiver.port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return receiver;
}

/** Poll `check` until it returns something truthy, or fail after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 5_000, what = "condition"): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
