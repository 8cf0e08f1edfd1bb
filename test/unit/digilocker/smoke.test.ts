import { describe, expect, it } from "vitest";
import { JSON_HEADERS, mockClient, specSample } from "../../helpers/digilocker.js";

describe("smoke", () => {
  it("lists issuers from the spec sample", async () => {
    const { client, pool } = mockClient();
    pool.intercept({ path: "/public/oauth2/1/pull/issuers", method: "POST" }).reply(200, specSample("issuers.json"), { headers: JSON_HEADERS });
    const issuers = await client.meta.issuers();
    expect(issuers[0]).toMatchObject({ orgId: "000018", issuerId: "in.gov.cbse", categories: ["Education", "Central Government"] });
  });
});
