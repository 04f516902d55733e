import type { EntityDefinition } from "../../definition/types.ts";
import type { ResolvedPath } from "../../query/types.ts";
import type { Span } from "../ast.ts";
import { expressionIssue, type ExpressionIssue } from "../expression-issue.ts";
import type { ExpressionType } from "../expression-type.ts";

/**
 * What an expression is checked against: the entity whose record it reads, every entity (relation
 * targets), and the `$variables` the caller will supply with their types.
 */
export interface ExpressionEnvironment {
  entity: EntityDefinition;
  entities: readonly EntityDefinition[];
  variables?: Readonly<Record<string, ExpressionType>>;
}

/** The state of one check: issues found so far and what the expression reads. */
export interface Checker {
  source: string;
  pointer: string;
  environment: ExpressionEnvironment;
  issues: ExpressionIssue[];
  /** Paths read, by dotted text. */
  fields: Map<string, ResolvedPath>;
  variables: Set<string>;
  usesClock: boolean;
  usesPrevious: boolean;
}

export function createChecker(source: string, environment: ExpressionEnvironment, pointer: string): Checker {
  return { source, pointer, environment, issues: [], fields: new Map(), variables: new Set(), usesClock: false, usesPrevious: false };
}

/** Record a problem at `span`. */
export function report(c: Checker, code: string, span: Span, message: string): void {
  c.issues.push(expressionIssue(c.source, c.pointer, code, span, message));
}
