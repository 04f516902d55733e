/** Where the server is and who we are: `--url`/`--token` or CRM_URL/CRM_TOKEN. */
export interface ServerTarget {
  url: string;
  token: string;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

/**
 * A client for `/api/admin/plugins`, authorised by an administrator's API token.
 * @example
 * const api = createPluginClient({ url: "http://localhost:3000", token });
 * await api.upload(manifest, code); // { status: 201, body: { id: "lead-scoring", version: "1.1.0", … } }
 */
export function createPluginClient(target: ServerTarget) {
  const call = async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const response = await fetch(new URL(`/api/admin/plugins${path}`, target.url), {
      method,
      headers: { authorization: `Bearer ${target.token}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text for the message
    }
    return { status: response.status, body: parsed };
  };
  const id = (pluginId: string) => `/${encodeURIComponent(pluginId)}`;
  return {
    get: (pluginId: string) => call("GET", id(pluginId)),
    list: () => call("GET", ""),
    /** Install or upgrade; `settings`, when given, replace the stored ones (checked against the new version's schema). */
    upload: (manifest: unknown, code: string, settings?: unknown) => call("POST", "", { manifest, code, ...(settings === undefined ? {} : { settings }) }),
    /** Back to the previous version; `settings`, when given, replace the stored ones (checked against that version's schema). */
    rollback: (pluginId: string, settings?: unknown) => call("POST", `${id(pluginId)}/rollback`, settings === undefined ? undefined : { settings }),
    remove: (pluginId: string) => call("DELETE", id(pluginId)),
  };
}

/** The target from flags or the environment; a clear error naming what is missing. */
export function resolveTarget(flags: Record<string, string | true>, env: Record<string, string | undefined>): ServerTarget {
  const url = typeof flags.url === "string" ? flags.url : env.CRM_URL;
  const token = typeof flags.token === "string" ? flags.token : env.CRM_TOKEN;
  const missing = [url === undefined ? "--url (or CRM_URL)" : "", token === undefined ? "--token (or CRM_TOKEN)" : ""].filter(Boolean);
  if (missing.length > 0) throw new Error(`Which server? Missing ${missing.join(" and ")}.`);
  return { url: url!, token: token! };
}

/** One line for a failed answer: status, and the problem's code/detail when there is one. */
export function describeFailure(what: string, answer: ApiAnswer): string {
  const body = answer.body as { code?: string; detail?: string; title?: string; issues?: Array<{ pointer: string; message: string }> } | null;
  const detail = typeof body === "object" && body !== null ? [body.code, body.detail ?? body.title].filter(Boolean).join(": ") : String(answer.body).slice(0, 300);
  const issues = typeof body === "object" && body !== null && Array.isArray(body.issues) ? body.issues.map((i) => `\n  ${i.pointer || "/"}: ${i.message}`).join("") : "";
  return `${what} failed (${answer.status}${detail ? ` ${detail}` : ""})${issues}`;
}
