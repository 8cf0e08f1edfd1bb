import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, clientAddressResolver, rateKey } from "../../../src/server/client-address.js";

function request(remoteAddress: string | undefined, forwardedFor?: string): IncomingMessage {
  const headers = forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor };
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe("clientAddress", () => {
  it("without trusted proxies is the socket's peer, whatever X-Forwarded-For says", () => {
    expect(clientAddress(request("198.51.100.7"), null)).toBe("198.51.100.7");
    expect(clientAddress(request("198.51.100.7", "203.0.113.9"), null)).toBe("198.51.100.7");
    expect(clientAddress(request("2001:db8::5", "203.0.113.9"), null)).toBe("2001:db8::5");
  });

  it("with one hop trusted is the last X-Forwarded-For entry", () => {
    expect(clientAddress(request("10.0.0.2", "203.0.113.9, 198.51.100.2"), { hops: 1 })).toBe("198.51.100.2");
    expect(clientAddress(request("10.0.0.2", "198.51.100.2"), { hops: 1 })).toBe("198.51.100.2");
  });

  it("with two hops trusted is the entry before the last", () => {
    expect(clientAddress(request("10.0.0.2", "192.0.2.1, 203.0.113.9, 198.51.100.2"), { hops: 2 })).toBe("203.0.113.9");
  });

  it("with a trusted proxy but no X-Forwarded-For is the proxy itself", () => {
    expect(clientAddress(request("10.0.0.2"), { hops: 1 })).toBe("10.0.0.2");
    expect(clientAddress(request("127.0.0.1"), { addresses: ["loopback"] })).toBe("127.0.0.1");
  });

  it("with trusted addresses walks X-Forwarded-For from the right up to the first untrusted address", () => {
    const req = request("127.0.0.1", "203.0.113.9, 198.51.100.2");
    expect(clientAddress(req, { addresses: ["loopback"] })).toBe("198.51.100.2");
    expect(clientAddress(req, { addresses: ["loopback", "198.51.100.0/24"] })).toBe("203.0.113.9");
    expect(clientAddress(request("::ffff:127.0.0.1", "203.0.113.9"), { addresses: ["loopback"] })).toBe("203.0.113.9");
    expect(clientAddress(request("10.1.2.3", "203.0.113.9"), { addresses: ["uniquelocal"] })).toBe("203.0.113.9");
  });

  it("ignores X-Forwarded-For from a peer that is not trusted", () => {
    expect(clientAddress(request("198.51.100.7", "127.0.0.1"), { addresses: ["loopback"] })).toBe("198.51.100.7");
    expect(clientAddress(request("198.51.100.7", "10.0.0.1, 127.0.0.1"), { addresses: ["loopback", "10.0.0.0/8"] })).toBe("198.51.100.7");
  });

  it("is unknown when the socket is gone, or when the trusted entry is not an address", () => {
    expect(clientAddress(request(undefined), null)).toBe("unknown");
    expect(clientAddress(request(undefined, "203.0.113.9"), { hops: 1 })).toBe("unknown");
    expect(clientAddress(request(undefined, "203.0.113.9"), { addresses: ["loopback"] })).toBe("unknown");
    expect(clientAddress(request("10.0.0.2", "203.0.113.9, not-an-ip"), { hops: 1 })).toBe("unknown");
  });

  it("rejects an address it cannot parse when the resolver is built, not per request", () => {
    expect(() => clientAddressResolver({ addresses: ["999.1.1.1"] })).toThrow(/invalid IP address/);
  });
});

describe("rateKey", () => {
  it("keeps IPv4 and unmaps IPv4-mapped IPv6", () => {
    expect(rateKey("203.0.113.5")).toBe("203.0.113.5");
    expect(rateKey("::ffff:203.0.113.5")).toBe("203.0.113.5");
  });

  it("keys IPv6 by its /64, written canonically", () => {
    expect(rateKey("2001:db8:abcd:12:1:2:3:4")).toBe("2001:db8:abcd:12::/64");
    expect(rateKey("2001:db8:abcd:12::99")).toBe("2001:db8:abcd:12::/64");
    expect(rateKey("2001:DB8:ABCD:0012:0000:0000:0000:0001")).toBe("2001:db8:abcd:12::/64");
    expect(rateKey("2001:db8:abcd:13::1")).toBe("2001:db8:abcd:13::/64");
    expect(rateKey("2001:0:0:12::1")).toBe("2001:0:0:12::/64");
    expect(rateKey("2001:db8::1")).toBe("2001:db8::/64");
    expect(rateKey("::1")).toBe("::/64");
    expect(rateKey("fe80::1%eth0")).toBe("fe80::/64");
  });

  it("leaves anything that is not an address as it is", () => {
    expect(rateKey("unknown")).toBe("unknown");
  });
});
