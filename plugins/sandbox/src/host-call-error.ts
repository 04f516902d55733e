/**
 * An error a host call reports back into the plugin: a stable code and a message, never a stack
 * or anything else of the host's.
 */
export class HostCallError extends Error {
  override name = "HostCallError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
