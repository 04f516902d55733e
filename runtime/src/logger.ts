import { pino, type Logger } from "pino";
import type { LogLevel } from "./config.ts";

export type { Logger };

/** Structured JSON logs on stdout (pipe through `pino-pretty` to read them by eye). */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: "crm-runtime" } });
}
