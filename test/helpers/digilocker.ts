// A client wired to undici's MockAgent, with a fixed clock and recorded (not slept) retry delays.
import { readFileSync } from "node:fs";
import { MockAgent } from "undici";
import { DigiLockerClient, type CallEvent, type ClientSettingsInput } from "../../src/digilocker/index.js";

export const ORIGIN = "https://digilocker.test";
export const BASE_URL = `${ORIGIN}/public`;
export const CLIENT_ID = "ABCD1234";
export const CLIENT_SECRET = "s3cr3t-Key-0123456789";
/** 2023-11-14T22:13:20Z: UNIX seconds 1700000000. */
export const NOW_MS = 1_700_000_000_000;

export function mockClient(settings: Partial<ClientSettingsInput> = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const calls: CallEvent[] = [];
  const sleeps: number[] = [];
  let now = NOW_MS;
  const client = new DigiLockerClient(
    { baseUrl: BASE_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...settings },
    {
      dispatcher: agent,
      now: () => now,
      sleep: (ms) => {
        sleeps.push(ms);
        now += ms;
        return Promise.resolve();
      },
      random: () => 0.5,
      onCall: (e) => calls.push(e),
    },
  );
  return {
    client,
    agent,
    pool: agent.get(ORIGIN),
    calls,
    sleeps,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A spec sample from test/fixtures/spec as raw text (sent as the response body, byte for byte). */
export function specSample(name: string): string {
  return readFileSync(new URL(`../fixtures/spec/${name}`, import.meta.url), "utf8");
}

export const JSON_HEADERS = { "content-type": "application/json; charset=UTF-8" };

/** Decodes a urlencoded request body into an object. */
export function form(body: unknown): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(String(body)));
}
