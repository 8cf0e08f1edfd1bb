// CPU per upstream call on the caller's side: bare undici (what the raw service does) against the layers of our
// client that the gateway's `issued` query goes through. Runs in a child process (child.ts, kind "client-cost")
// while the sandbox stays in the benchmark's process, so only the caller's CPU is counted.
import { Agent, request } from "undici";
import { UserData } from "../src/cache/user-data.js";
import { bearer } from "../src/digilocker/bearer.js";
import { listingParsers } from "../src/digilocker/files.js";
import { DigiLockerClient } from "../src/digilocker/index.js";
import { TimestampMemo } from "../src/digilocker/normalize.js";
import { Transport } from "../src/digilocker/transport.js";
import { spread, type Spread } from "./stats.js";

export interface ClientCostRow {
  layer: string;
  what: string;
  /** µs of CPU per call: median, min, max over the rounds. */
  usPerCall: Spread;
}

export interface ClientCostOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** One per concurrent caller: the calls of one token would otherwise share a single flight. */
  tokens: readonly string[];
  calls: number;
  rounds: number;
}

export async function measureClientCost(o: ClientCostOptions): Promise<ClientCostRow[]> {
  const agent = new Agent({ connections: 8 });
  const client = new DigiLockerClient({ baseUrl: o.baseUrl, clientId: o.clientId, clientSecret: o.clientSecret });
  const userData = new UserData(client, { maxEntries: 1000, accountTtlMs: 60_000 });
  // The client's own transport, to call it as listIssued does but without the fast path: zod checks every body.
  const transport = new Transport(client.settings, {});
  const issued = listingParsers(new TimestampMemo()).issued;
  const layers: { layer: string; what: string; call: (token: string) => Promise<unknown> }[] = [
    {
      layer: "undici",
      what: "`request()` + `body.json()`: what the raw service does",
      call: async (t) => (await request(`${o.baseUrl}/oauth2/2/files/issued`, { headers: { authorization: `Bearer ${t}` }, dispatcher: agent })).body.json(),
    },
    {
      layer: "listIssued, zod only",
      what: "+ the transport, and zod checking and normalising every body (what listIssued did before src/digilocker/shape-guard.ts)",
      call: (t) => transport.json({ endpoint: "files.issued", path: "/oauth2/2/files/issued", ...bearer("files.issued", t) }, issued.schema),
    },
    {
      layer: "client.files.listIssued",
      what: "what ships: the transport, a type check compiled from the zod shape (zod itself only for a body that fails it), and normalising the 12 items",
      call: (t) => client.files.listIssued(t),
    },
    {
      layer: "userData.issued",
      what: "+ the per-token key (SHA-256) and in-flight sharing: what a resolver calls",
      call: (t) => userData.issued(t),
    },
  ];
  async function run(call: (t: string) => Promise<unknown>, n: number): Promise<number> {
    let started = 0;
    const before = process.cpuUsage();
    await Promise.all(
      o.tokens.map(async (token) => {
        while (started < n) {
          started++;
          await call(token);
        }
      }),
    );
    const d = process.cpuUsage(before);
    return (d.user + d.system) / n;
  }
  try {
    for (const l of layers) await run(l.call, Math.ceil(o.calls / 5));
    const samples = layers.map(() => [] as number[]);
    for (let r = 0; r < o.rounds; r++) {
      for (const [i, l] of layers.entries()) samples[i]?.push(await run(l.call, Math.ceil(o.calls / o.rounds)));
    }
    return layers.map((l, i) => ({ layer: l.layer, what: l.what, usPerCall: spread(samples[i] ?? []) }));
  } finally {
    await agent.close();
    await transport.close();
    await client.close();
  }
}
