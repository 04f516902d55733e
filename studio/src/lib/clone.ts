/**
 * A deep copy of JSON data, also of Vue's reactive proxies (which `structuredClone` refuses).
 * @example cloneJson(reactive({ a: [1] })) // { a: [1] }, a plain object
 */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
