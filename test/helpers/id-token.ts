// Expecting an id_token to be refused, with a message that never quotes it.
import { expect } from "vitest";
import { IdTokenError, type IdTokenVerifier } from "../../src/auth/id-token.js";

export async function refusal(v: IdTokenVerifier, idToken: string): Promise<IdTokenError> {
  try {
    await v.verify(idToken);
  } catch (error) {
    expect(error).toBeInstanceOf(IdTokenError);
    const e = error as IdTokenError;
    for (const part of idToken.split(".")) if (part.length > 8) expect(e.message).not.toContain(part);
    return e;
  }
  throw new Error("expected the id_token to be refused");
}
