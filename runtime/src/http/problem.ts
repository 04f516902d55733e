import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";

/** RFC 9457 problem details; `issues` carry a JSON Pointer each. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  requestId?: string;
  issues?: Array<{ code: string; pointer: string; message: string }>;
  [extra: string]: unknown;
}

export function problemResponse(c: Context, problem: Problem, headers: Record<string, string> = {}) {
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    "content-type": "application/problem+json",
    ...headers,
  });
}

/** The one place that turns any thrown value into a problem response. Unknown errors are logged and hidden. */
export function createErrorHandler(logger: Logger) {
  return function onError(error: Error, c: Context) {
    const requestId = c.get("requestId") as string | undefined;
    const instance = c.req.path;
    if (error instanceof AppError) {
      return problemResponse(
        c,
        {
          type: `urn:crm:problem:${error.code.toLowerCase().replace(/_/g, "-")}`,
          title: error.title,
          status: error.status,
          detail: error.message,
          code: error.code,
          instance,
          requestId,
          ...(error.issues.length ? { issues: error.issues } : {}),
          ...error.extra,
        },
        error.headers,
      );
    }
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(c, {
        type: "about:blank",
        title: error.message || "Request failed",
        status: error.status,
        code: "HTTP_" + error.status,
        instance,
        requestId,
      });
    }
    logger.error({ err: error, requestId, path: instance }, "unhandled error");
    return problemResponse(c, {
      type: "about:blank",
      title: "Internal server error",
      status: 500,
      detail: "Something went wrong on our side. Quote the request id when you report it.",
      code: "INTERNAL",
      instance,
      requestId,
    });
  };
}
