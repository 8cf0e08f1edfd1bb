// A capacity check, not a timing test: 50 downloads of a 10 MB document through links at once, every one of them
// streaming from DigiLocker at the same time, must not grow the process by more than 100 MB. The sandbox runs in
// this process too and holds the document once (seed/large-document.ts), made before the baseline is taken;
// buffering whole files in the gateway would cost 50 × 10 MB.
import { createHash } from "node:crypto";
import { get as httpGet } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { LARGE_DOCUMENT_URI } from "../../../src/sandbox/seed/large-document.js";
import type { Sandbox } from "../../../src/sandbox/server.js";
import { startGateway, type Gateway } from "../../../src/server/gateway.js";
import { ManualClock, PRIYA } from "../../helpers/gateway.js";

const SIZE = 10 * 1024 * 1024;
const DOWNLOADS = 50;
const BUDGET = 100 * 1024 * 1024;

/** global.gc when node runs with --expose-gc, else the same function got through V8's flags. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** GETs with node:http, hashing and counting as the bytes arrive: nothing is kept. */
function download(url: string): Promise<{ status: number; received: number; complete: boolean; digest: string }> {
  return new Promise((resolve, reject) => {
    httpGet(url, (res) => {
      const hash = createHash("sha256");
      let received = 0;
      res.on("data", (chunk: Buffer) => {
        received += chunk.length;
        hash.update(chunk);
      });
      res.on("error", () => undefined);
      res.on("close", () => { resolve({ status: res.statusCode ?? 0, received, complete: res.complete, digest: hash.digest("hex") }); });
    }).on("error", reject);
  });
}

describe("download memory", () => {
  let gateway: Gateway;
  let sandbox: Sandbox;

  beforeAll(async () => {
    const clock = new ManualClock();
    // Enough upstream connections for all 50 to stream from DigiLocker at once, not 8 at a time.
    const config = loadConfig({ DATA_DIR: "memory", PORT: "0", SANDBOX_PORT: "0", LOG_LEVEL: "silent", DIGILOCKER_MAX_RETRIES: "0", UPSTREAM_CONCURRENCY: "64" });
    const now = () => clock.epoch();
    gateway = await startGateway({ ...config, sandbox: { ...config.sandbox, largeDocumentBytes: SIZE } }, { clock, now, sandbox: { now } });
    if (gateway.sandbox === null) throw new Error("expected the embedded sandbox");
    sandbox = gateway.sandbox;
  });
  afterAll(async () => {
    await gateway.close();
  });

  it(`streams ${DOWNLOADS} concurrent 10 MB downloads within ${BUDGET / 1048576} MB of RSS`, { timeout: 120_000 }, async () => {
    const doc = sandbox.state.issued.find((d) => d.uri === LARGE_DOCUMENT_URI);
    if (doc === undefined) throw new Error("no large document");
    // Made now (it is made on first read), so the sandbox's one copy is in the baseline.
    const expected = createHash("sha256").update(doc.pdf).digest("hex");
    const token = sandbox.issueToken({ userId: PRIYA, scopes: ["files.issueddocs"] }).accessToken;
    const urls: string[] = [];
    for (let i = 0; i < DOWNLOADS; i++) {
      const link = await gateway.services.downloadLinks.create({
        binding: { kind: "bearer", token },
        uri: LARGE_DOCUMENT_URI,
        format: "FILE",
        disposition: "ATTACHMENT",
        fileName: "large.pdf",
        mimeType: "application/pdf",
      });
      urls.push(`${gateway.url}${new URL(link.url).pathname}`);
    }
    // One download first, so connection pools and code paths are warm and the baseline is not a cold process.
    expect((await download(urls[0] ?? "")).received).toBe(SIZE);

    const gc = collector();
    gc();
    gc();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    sandbox.resetStats();
    let results;
    try {
      results = await Promise.all(urls.map((url) => download(url)));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);

    for (const r of results) expect(r).toEqual({ status: 200, received: SIZE, complete: true, digest: expected });
    // All of them were in flight at DigiLocker together: the check is of concurrent streams.
    expect(sandbox.stats().maxInFlight["files.file"]).toBeGreaterThanOrEqual(DOWNLOADS / 2);
    const grownMb = (peak - baseline) / 1048576;
    expect(grownMb, `RSS grew by ${grownMb.toFixed(1)} MB (baseline ${(baseline / 1048576).toFixed(1)} MB)`).toBeLessThanOrEqual(BUDGET / 1048576);
  });
});
