/**
 * Whether a JSON value nests deeper than `max` arrays/objects, found without recursion (so a hostile
 * document 100 000 levels deep cannot overflow the stack of whoever checks it).
 * @example exceedsDepth([[[1]]], 2) // true
 */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) if (child !== null && typeof child === "object") stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}
