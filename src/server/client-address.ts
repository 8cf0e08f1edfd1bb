// Who the client is: the socket's peer, or, behind proxies we trust, the address they forwarded; and the key
// rate limits count it under.
import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import proxyAddr from "proxy-addr";
import type { TrustProxy } from "../config.js";

/** The address of a request whose socket is already gone, or whose forwarded address is not an IP. */
export const UNKNOWN_CLIENT = "unknown";

type Request = Pick<IncomingMessage, "socket" | "headers">;

/**
 * A function from request to client address for one trust setting, compiled once: an address proxy-addr
 * cannot parse throws here, at start, not on every request.
 */
export function clientAddressResolver(trust: TrustProxy): (req: Request) => string {
  if (trust === null) return (req) => asAddress(req.socket.remoteAddress);
  const trusted = "hops" in trust ? (_address: string, hop: number) => hop < trust.hops : proxyAddr.compile(trust.addresses);
  return (req) => {
    if (req.socket.remoteAddress === undefined) return UNKNOWN_CLIENT;
    // proxy-addr reads only socket.remoteAddress and the X-Forwarded-For header.
    return asAddress(proxyAddr(req as IncomingMessage, trusted));
  };
}

/** The client's address as `trust` says to find it; "unknown" when there is none. */
export function clientAddress(req: Request, trust: TrustProxy): string {
  return clientAddressResolver(trust)(req);
}

/**
 * The key a rate limit counts `address` under: IPv4 (also IPv4-mapped IPv6) as dotted quad; IPv6 as its /64,
 * since one host usually owns a whole /64 and could otherwise step past a per-address limit.
 */
export function rateKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const ip = ipaddr.process(address);
  if (ip.kind() === "ipv4") return ip.toString();
  // Canonical (RFC 5952) by hand: ipaddr.js 1.x shortens the first run of zeros, not the longest. The four
  // zero groups after the prefix are always the longest run, so only the prefix's trailing zeros join it.
  const prefix = (ip as ipaddr.IPv6).parts.slice(0, 4);
  while (prefix.length > 0 && prefix[prefix.length - 1] === 0) prefix.pop();
  return `${prefix.map((part) => part.toString(16)).join(":")}::/64`;
}

function asAddress(address: string | undefined): string {
  return address !== undefined && ipaddr.isValid(address) ? address : UNKNOWN_CLIENT;
}
