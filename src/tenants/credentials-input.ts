// What a partner may send as its DigiLocker credentials, checked before DigiLocker is asked. No message quotes what
// was sent: a client secret pasted into the wrong field must not come back in an answer or a log line.
import { z } from "zod";

export const tokenEndpoints = ["v1", "openid"] as const;
/** `/oauth2/1/token` (a rotating refresh token, the account fields) or `/oauth2/2/token` (OpenID: id_token). */
export type TokenEndpoint = (typeof tokenEndpoints)[number];

/** The spec sets no shape for a client id; these bound what a header, a form field and Basic credentials carry. */
export const clientIdSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(64, "is longer than a DigiLocker client id (64 characters at most)")
  .regex(/^[A-Za-z0-9._-]+$/, "must be the client id from DigiLocker's Partners Portal: letters, digits, . _ or -");

export const clientSecretSchema = z
  .string()
  .min(1, "is required")
  .max(256, "is longer than a DigiLocker client secret (256 characters at most)")
  // Used as given (it keys the meta hash), so blanks at either end are refused rather than trimmed.
  .refine((s) => s.trim() === s, "must not start or end with blanks (a copy-and-paste slip?)")
  .refine((s) => !/\p{Cc}/u.test(s), "must not contain control characters or line breaks");

const LOCAL_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

export const redirectUriSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(2000, "is too long (2000 characters at most)")
  .superRefine((value, ctx) => {
    const problem = redirectUriProblem(value);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  });

function redirectUriProblem(value: string): string | null {
  if (!URL.canParse(value)) return "must be an absolute URL, e.g. https://kyc.example.in/auth/callback";
  const url = new URL(value);
  if (url.protocol === "http:" && !LOCAL_HOSTS.has(url.hostname)) return "must use https (http only on localhost or 127.0.0.1)";
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https URL";
  if (value.includes("#")) return "must not have a fragment (#…): DigiLocker matches redirect URIs whole";
  if (url.username !== "" || url.password !== "") return "must not carry a user name or password";
  if (/\s/.test(value)) return "must not contain blanks";
  return null;
}

export const credentialsInputSchema = z.object({
  clientId: clientIdSchema,
  clientSecret: clientSecretSchema,
  redirectUri: redirectUriSchema,
  tokenEndpoint: z.enum(tokenEndpoints, { message: "must be v1 or openid" }),
});

export type CredentialsInput = z.input<typeof credentialsInputSchema>;
export type CheckedCredentialsInput = z.output<typeof credentialsInputSchema>;

/** The input broke a rule above: each issue names its field and what to fix, never the value. */
export class InvalidCredentialsInput extends Error {
  override name = "InvalidCredentialsInput";
  constructor(readonly issues: readonly { field: string; message: string }[]) {
    super(`Invalid DigiLocker credentials: ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`);
  }
}

/** The checked input, or InvalidCredentialsInput with the first problem of each field. */
export function checkCredentialsInput(input: CredentialsInput): CheckedCredentialsInput {
  const parsed = credentialsInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join(".") || "input";
    if (!issues.has(field)) issues.set(field, issue.message);
  }
  throw new InvalidCredentialsInput([...issues].map(([field, message]) => ({ field, message })));
}
