/** Scalar options: no fonts, telemetry, request proxy, AI agent or MCP from outside; everything stays local. */
const SCALAR_OPTIONS = {
  url: "/api/openapi.json",
  withDefaultFonts: false,
  telemetry: false,
  proxyUrl: "",
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: "never",
};

/**
 * The API reference page: Scalar's bundle served by this server (`scriptUrl`), reading the live
 * OpenAPI document. No CDN: every URL in the page is on this origin. The mount point must not be
 * `#api-reference`: the bundle auto-mounts a second, unconfigured reference there.
 */
export function docsPage(scriptUrl: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>CRM API reference</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="${scriptUrl}"></script>
    <script>
      Scalar.createApiReference("#app", ${JSON.stringify(SCALAR_OPTIONS)});
    </script>
  </body>
</html>
`;
}
