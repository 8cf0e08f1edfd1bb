// The floor: a minimal node:http service that makes the DigiLocker calls a hand-written integration would
// make, with undici directly, and answers with the same JSON the gateway's `data` holds for the same query.
// No GraphQL, no validation library, no caches beyond what a careful hand-written integration keeps:
// - the issuer list, fetched once at start (signed meta call) to name the issuers of issued documents;
// - the whole document catalogue (issuers x doctypes), fetched once at start, as the gateway keeps it in its
//   meta cache: a page of it is then served from memory, which is what the gateway does when warm.
// Statistics, the issued list and the folder listing are fetched from DigiLocker on every request.
// Files (the downloads case): GET /file/<uri> pipes DigiLocker's Get File from URI to the caller with undici, as a
// hand-written proxy would: no hmac check, no link, headers passed on.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pipeline } from "node:stream";
import { Agent, request } from "undici";

export interface RawOptions {
  /** DigiLocker base URL, ending in /public. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  port?: number;
  /** Connections to DigiLocker (the gateway's default UPSTREAM_CONCURRENCY is 8). */
  connections?: number;
}

export interface RawService {
  url: string;
  /** Upstream calls made since start, per path. */
  calls: Record<string, number>;
  close(): Promise<void>;
}

/** The raw downloads route: RAW_FILE_PATH + encodeURIComponent(uri), with the user's bearer token. */
export const RAW_FILE_PATH = "/file/";

export const RAW_PATHS = {
  issued: "/issued",
  catalog: "/catalog",
  statistics: "/statistics",
  folder: "/folder",
} as const;

interface RawIssuer {
  orgid: string | number;
  issuerid?: string | null;
  name: string;
  description?: string | null;
}

interface CatalogEntry {
  orgId: string;
  code: string;
  description: string;
  issuerName: string;
}

/** Meta POSTs: clientid, fields, ts, hmac = hex SHA-256(secret + clientid + values + ts). */
function signedBody(clientId: string, secret: string, fields: [string, string][]): string {
  const ts = String(Math.floor(Date.now() / 1000));
  const hash = createHash("sha256").update(secret).update(clientId);
  for (const [, v] of fields) hash.update(v);
  hash.update(ts);
  return new URLSearchParams([["clientid", clientId], ...fields, ["ts", ts], ["hmac", hash.digest("hex")]]).toString();
}

export async function startRawService(options: RawOptions): Promise<RawService> {
  const agent = new Agent({ connections: options.connections ?? 8, pipelining: 1 });
  const calls: Record<string, number> = {};
  const base = options.baseUrl.replace(/\/+$/, "");

  async function call(method: "GET" | "POST", path: string, init: { token?: string; form?: [string, string][] } = {}) {
    calls[path] = (calls[path] ?? 0) + 1;
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    if (init.form !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = signedBody(options.clientId, options.clientSecret, init.form);
    }
    const res = await request(base + path, { method, headers, body, dispatcher: agent });
    const json: unknown = await res.body.json();
    if (res.statusCode !== 200) throw Object.assign(new Error(`upstream ${res.statusCode}`), { status: res.statusCode, json });
    return json;
  }

  // Once at start: the issuer list, and every issuer's doctypes (the catalogue).
  const issuers = ((await call("POST", "/oauth2/1/pull/issuers", { form: [] })) as { issuers: RawIssuer[] }).issuers;
  const issuerNames = new Map<string, string>();
  for (const i of issuers) if (i.issuerid) issuerNames.set(i.issuerid.trim(), i.name.trim());
  const sorted = issuers.map((i) => ({ orgId: String(i.orgid).trim(), name: i.name.trim() })).sort((a, b) => cmp(a.orgId, b.orgId));
  const catalog: CatalogEntry[] = [];
  for (let i = 0; i < sorted.length; i += 16) {
    const chunk = sorted.slice(i, i + 16);
    const lists = await Promise.all(
      chunk.map(
        (issuer) =>
          call("POST", "/oauth2/1/pull/doctype", { form: [["orgid", issuer.orgId]] }) as Promise<{
            documents?: { doctype: string; description: string }[] | null;
          }>,
      ),
    );
    chunk.forEach((issuer, k) => {
      const docs = (lists[k]?.documents ?? []).map((d) => ({ code: d.doctype.trim(), description: d.description.trim() }));
      docs.sort((a, b) => cmp(a.code, b.code));
      for (const d of docs) catalog.push({ orgId: issuer.orgId, issuerName: issuer.name, ...d });
    });
  }

  const routes: Record<string, (req: IncomingMessage) => Promise<unknown>> = {
    [RAW_PATHS.issued]: async (req) => {
      const body = (await call("GET", "/oauth2/2/files/issued", { token: bearer(req) })) as {
        items?: { name: string; issuerid?: string | null }[] | null;
      };
      return {
        viewer: {
          issuedDocuments: (body.items ?? []).map((d) => {
            const name = d.issuerid ? issuerNames.get(d.issuerid.trim()) : undefined;
            return { name: d.name.trim(), issuer: name === undefined ? null : { name } };
          }),
        },
      };
    },
    [RAW_PATHS.catalog]: () =>
      Promise.resolve({
        documentCatalog: {
          totalCount: catalog.length,
          edges: catalog.slice(0, 20).map((d) => ({
            node: { code: d.code, description: d.description, issuer: { orgId: d.orgId, name: d.issuerName } },
          })),
        },
      }),
    [RAW_PATHS.statistics]: async () => {
      const s = (await call("POST", "/statistics/1/counts", { form: [] })) as Record<string, unknown> & {
        monthwise_registrations?: { year: string; month: string; count: string }[];
      };
      return {
        statistics: {
          users: Number(s.users),
          authenticDocuments: Number(s.authentic_documents),
          issuers: Number(s.issuers),
          requesters: Number(s.requesters ?? s.requestors),
          monthwiseRegistrations: (s.monthwise_registrations ?? []).map((m) => ({
            year: Number(m.year),
            month: Number(m.month),
            count: Number(m.count),
          })),
        },
      };
    },
    [RAW_PATHS.folder]: async (req) => {
      const body = (await call("GET", "/oauth2/1/files/", { token: bearer(req) })) as {
        items?: { name: string; type: string }[] | null;
      };
      return {
        viewer: {
          rootFolder: {
            items: {
              edges: (body.items ?? []).slice(0, 20).map((i) => ({
                node: { __typename: i.type.toLowerCase() === "dir" ? "Folder" : "UploadedFile", name: i.name.trim() },
              })),
            },
          },
        },
      };
    },
  };

  /** GET /file/<uri>: DigiLocker's body piped through, backpressure and early closes handled by pipeline. */
  function file(req: IncomingMessage, res: ServerResponse, uri: string): void {
    const path = `/oauth2/1/file/${encodeURIComponent(uri)}`;
    calls[path] = (calls[path] ?? 0) + 1;
    request(base + path, { headers: { authorization: `Bearer ${bearer(req)}` }, dispatcher: agent }).then(
      (up) => {
        if (up.statusCode !== 200) {
          up.body.dump().catch(() => undefined);
          send(res, 502, { error: `upstream ${up.statusCode}` });
          return;
        }
        const headers: Record<string, string> = { "content-type": String(up.headers["content-type"] ?? "application/octet-stream") };
        if (typeof up.headers["content-length"] === "string") headers["content-length"] = up.headers["content-length"];
        res.writeHead(200, headers);
        pipeline(up.body, res, () => undefined);
      },
      (error: unknown) => { send(res, 502, { error: String(error) }); },
    );
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    if (pathname.startsWith(RAW_FILE_PATH)) {
      file(req, res, decodeURIComponent(pathname.slice(RAW_FILE_PATH.length)));
      return;
    }
    const route = routes[pathname];
    if (route === undefined) {
      send(res, 404, { error: "not found" });
      return;
    }
    route(req).then(
      (data) => { send(res, 200, { data }); },
      (error: unknown) => { send(res, 502, { error: String(error) }); },
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        server.closeAllConnections();
      });
      await agent.close();
    },
  };
}

function bearer(req: IncomingMessage): string {
  return (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
