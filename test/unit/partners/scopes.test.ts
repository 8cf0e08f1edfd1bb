import { describe, expect, it } from "vitest";
import { isPartnerScope, partnerScopeNames, partnerScopeSchema, partnerScopes } from "../../../src/partners/scopes.js";
import { EVERY_PARTNER_SCOPE } from "../../helpers/scopes.js";

describe("partner scopes", () => {
  it("lists the eleven scopes, each with a one-line description", () => {
    expect(partnerScopeNames).toEqual(EVERY_PARTNER_SCOPE);
    for (const { description } of partnerScopes) expect(description).toMatch(/^[A-Z][^\n]{10,120}$/);
  });

  it("checks a scope name with the zod schema and the guard alike", () => {
    expect(partnerScopeSchema.parse("uri:push")).toBe("uri:push");
    const refused = partnerScopeSchema.safeParse("uri:pull");
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe(`must be one of: ${partnerScopeNames.join(", ")}`);
    expect(isPartnerScope("uri:push")).toBe(true);
    expect(isPartnerScope("URI:PUSH")).toBe(false);
    expect(isPartnerScope("toString")).toBe(false);
  });
});
