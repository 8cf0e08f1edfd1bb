// GraphiQL served entirely from this gateway. Yoga's default page loads its bundle from a public CDN,
// which fails offline (the embedded sandbox is meant to work with no network) and runs third-party
// script in the page where people paste DigiLocker tokens. The same bundle ships in the npm package
// @graphql-yoga/graphiql; we serve its files ourselves and keep the page's behaviour.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ServerResponse } from "node:http";
import type { GraphiQLOptions } from "graphql-yoga";

export const GRAPHIQL_ASSETS_PATH = "/graphiql/assets/";

/** The only files served, by URL name: nothing else under the package can be reached. */
const assets: Record<string, { file: string; type: string }> = {
  "graphiql.css": { file: "graphiql.css", type: "text/css; charset=utf-8" },
  "yoga-graphiql.umd.js": { file: "yoga-graphiql.umd.js", type: "text/javascript; charset=utf-8" },
  "editor.worker.js": { file: "monacoeditorwork/editor.worker.bundle.js", type: "text/javascript; charset=utf-8" },
  "json.worker.js": { file: "monacoeditorwork/json.worker.bundle.js", type: "text/javascript; charset=utf-8" },
  "graphql.worker.js": { file: "monacoeditorwork/graphql.worker..bundle.js", type: "text/javascript; charset=utf-8" },
};

const distDir = join(dirname(createRequire(import.meta.url).resolve("@graphql-yoga/graphiql/package.json")), "dist");

/** The GraphiQL files, each read once and kept: one per app (createApp). */
export class GraphiqlAssets {
  readonly #loaded = new Map<string, Promise<Buffer>>();

  /** Serves one GraphiQL asset; false when `name` is not one of them. */
  serve(name: string, res: ServerResponse): boolean {
    const asset = assets[name];
    if (!asset) return false;
    let body = this.#loaded.get(name);
    if (!body) {
      body = readFile(join(distDir, asset.file));
      this.#loaded.set(name, body);
    }
    body.then(
      (data) => {
        res.writeHead(200, { "content-type": asset.type, "cache-control": "public, max-age=86400" }).end(data);
      },
      () => {
        this.#loaded.delete(name);
        res.writeHead(500, { "content-type": "text/plain" }).end("GraphiQL asset unavailable");
      },
    );
    return true;
  }
}

/** Yoga's GraphiQL page with every URL pointing at this gateway. */
export function renderGraphiQL(options: GraphiQLOptions): string {
  const a = (name: string) => `${GRAPHIQL_ASSETS_PATH}${name}`;
  // GraphiQL 5 fills the first tab's editor from `query` only (`defaultQuery` names the tab but leaves
  // its welcome text in the editor). `<` is escaped so that no option value can close the script element.
  const opts = JSON.stringify({ ...options, query: options.defaultQuery }).replace(/</g, "\\u003c");
  const title = (options.title ?? "GraphiQL").replace(/[<>&"]/g, "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="stylesheet" href="${a("graphiql.css")}">
<style>
body{margin:0;display:flex;flex-direction:column;height:100vh}
#root{flex:1;min-height:0;height:auto}
#dlg-bar{font:13px system-ui,sans-serif;padding:4px 12px;display:flex;gap:12px;align-items:center;border-bottom:1px solid #8884}
</style>
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run GraphiQL.</noscript>
<div id="dlg-bar"><strong>DigiLocker</strong><a id="dlg-sign-in" href="/auth/sign-in?returnTo=/graphql">Sign in</a><span>then run <code>viewer</code>; sign out with the <code>signOut</code> mutation. The session lives in an HttpOnly cookie: no token is pasted anywhere.</span></div>
<div id="root">Loading ${title}…</div>
<script>
const workers = {};
const workerUrls = {
  editorWorkerService: "${a("editor.worker.js")}",
  json: "${a("json.worker.js")}",
  graphql: "${a("graphql.worker.js")}",
};
function prepareWorkers() {
  return Promise.all(Object.entries(workerUrls).map(async ([label, url]) => {
    const source = await (await fetch(url)).text();
    workers[label] = URL.createObjectURL(new Blob([source], { type: "application/javascript" }));
  }));
}
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => workers[label] };
</script>
<script src="${a("yoga-graphiql.umd.js")}"></script>
<script>prepareWorkers().finally(() => { YogaGraphiQL.renderYogaGraphiQL(root, ${opts}); });</script>
</body>
</html>`;
}
