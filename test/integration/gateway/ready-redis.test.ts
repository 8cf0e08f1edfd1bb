// /ready reports the session store (issue 12): with Redis stopped, the gateway says it is not ready and which
// dependency failed, and recovers by itself when Redis is back. A Redis the test starts and stops itself, never
// the shared one.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { startPrivateRedis, type PrivateRedis } from "../../helpers/private-redis.js";

async function ready(t: TestGateway): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${t.gateway.url}/ready`);
  return { status: res.status, body: await res.json() };
}

describe("/ready with the Redis store", () => {
  let redis: PrivateRedis;
  let t: TestGateway;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await startTestGateway({ REDIS_URL: redis.url, SESSION_SECRET: randomBytes(48).toString("base64") });
  });
  afterAll(async () => {
    await t.close();
    await redis.close();
  });

  it("is 200 while Redis answers, 503 naming the session store while it is down, and 200 again once it is back", async () => {
    expect(await ready(t)).toEqual({ status: 200, body: { status: "ready", checks: { digilocker: "ok", sessionStore: "ok" } } });
    await redis.stop();
    expect(await ready(t)).toEqual({ status: 503, body: { status: "unavailable", checks: { digilocker: "ok", sessionStore: "unavailable" } } });
    // The process keeps serving what needs no session meanwhile.
    const health = await fetch(`${t.gateway.url}/health`);
    expect(health.status).toBe(200);
    await redis.start();
    let back: { status: number; body: unknown } = { status: 0, body: null };
    // ioredis reconnects with a capped backoff (at most 2 s between attempts).
    for (let i = 0; i < 50 && back.status !== 200; i++) {
      back = await ready(t);
      if (back.status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(back).toEqual({ status: 200, body: { status: "ready", checks: { digilocker: "ok", sessionStore: "ok" } } });
  });
});
