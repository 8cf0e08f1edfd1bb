// Pull's scope is partners.<doctype>, which DigiLocker's 403 does not name: the generic message never shows a
// placeholder (pullDocument answers its own refusal, PullScopeMissing, with the real scope).
import { describe, expect, it } from "vitest";
import { InsufficientScopeError } from "../../../src/digilocker/index.js";
import { toClientError } from "../../../src/graphql/errors.js";

const logger = { error: () => undefined, warn: () => undefined };

describe("insufficient_scope from Pull Document outside pullDocument", () => {
  it("says what to do without a made-up scope", () => {
    const error = toClientError(
      new InsufficientScopeError({ endpoint: "pull.document", status: 403, code: "insufficient_scope", description: null }),
      logger,
    );
    expect(error.message).toBe("The user did not allow this application to pull that document type: ask them to sign in again and allow it");
    expect(error.message).not.toContain("<");
    expect(error.extensions).toMatchObject({ code: "FORBIDDEN", reason: "insufficient_scope", scope: undefined });
  });
});
