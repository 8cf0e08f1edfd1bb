import { describe, expect, it } from "vitest";
import { connectionCheckingIntervalMs, connectionServerOptions } from "../../../src/server/connection-limits.js";

describe("connectionServerOptions", () => {
  it("passes the configured timeouts through and checks every tenth of the headers timeout", () => {
    const options = connectionServerOptions({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnectionsPerClient: 128,
      maxConnections: 10_000,
    });
    expect(options).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
    });
  });

  it("checks at most every second and at least every 10 ms", () => {
    expect(connectionCheckingIntervalMs(300)).toBe(30);
    expect(connectionCheckingIntervalMs(60_000)).toBe(1_000);
    expect(connectionCheckingIntervalMs(1)).toBe(10);
  });
});
