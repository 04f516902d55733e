import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";

export interface StaticAsset {
  body: Uint8Array<ArrayBuffer>;
  /** The same bytes gzip-compressed once, for clients that accept it. */
  gzipped: Uint8Array<ArrayBuffer>;
  etag: string;
}

const require = createRequire(import.meta.url);

/**
 * Scalar's self-contained browser bundle, from the installed `@scalar/api-reference` package (its
 * `exports` map hides `dist/browser`, so the path is found next to the main entry). Read and
 * compressed once, on the first request.
 */
export function createScalarAsset(): () => Promise<StaticAsset> {
  let loading: Promise<StaticAsset> | undefined;
  return () => (loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  }));
}

async function load(): Promise<StaticAsset> {
  const dist = dirname(require.resolve("@scalar/api-reference"));
  const [body, manifest] = await Promise.all([readFile(join(dist, "browser", "standalone.js")), readFile(join(dist, "..", "package.json"), "utf8")]);
  const { version } = JSON.parse(manifest) as { version: string };
  return { body, gzipped: await promisify(gzip)(body), etag: `"scalar-${version}"` };
}
