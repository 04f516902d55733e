import { expect } from "vitest";
import { requestsSent } from "./fuzz-client.ts";
import type { Probe } from "./probe.ts";

/** After a keep-going run: print every distinct violation, then fail if there were any. */
export function expectNoFindings(probe: Probe, suite: string): void {
  const findings = probe.findings();
  for (const finding of findings) {
    console.log(`[fuzz] ${suite}: ${finding.count}× ${finding.signature}\n  request: ${finding.request}\n  response: ${finding.response}`);
  }
  console.log(`[fuzz] ${suite}: ${requestsSent()} requests sent by this worker so far`);
  if (process.env.FUZZ_STATS === "1") {
    const rows = [...probe.statistics()].sort(([a], [b]) => a.localeCompare(b));
    console.log(rows.map(([outcome, n]) => `${String(n).padStart(6)}  ${outcome}`).join("\n"));
  }
  expect(findings.map((f) => f.signature)).toEqual([]);
}
