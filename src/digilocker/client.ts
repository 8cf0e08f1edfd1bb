// The DigiLocker Requester API v2.3 client: one instance per set of partner credentials, no module state.
import { AccountApi } from "./account.js";
import { FilesApi } from "./files.js";
import { DigiLockerConfigError } from "./errors.js";
import { MetaApi } from "./meta.js";
import { TimestampMemo } from "./normalize.js";
import { OAuthApi } from "./oauth.js";
import { PullApi } from "./pull.js";
import { clientSettingsSchema, type ClientDeps, type ClientSettings, type ClientSettingsInput } from "./settings.js";
import { Transport } from "./transport.js";

export class DigiLockerClient {
  readonly settings: Readonly<ClientSettings>;
  readonly oauth: OAuthApi;
  readonly account: AccountApi;
  readonly files: FilesApi;
  readonly pull: PullApi;
  readonly meta: MetaApi;
  readonly #transport: Transport;

  constructor(settings: ClientSettingsInput, deps: ClientDeps = {}) {
    const parsed = clientSettingsSchema.safeParse(settings);
    if (!parsed.success) {
      throw new DigiLockerConfigError(
        parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
      );
    }
    this.settings = Object.freeze(parsed.data);
    this.#transport = new Transport(this.settings, deps);
    this.oauth = new OAuthApi(this.#transport, this.settings);
    this.account = new AccountApi(this.#transport);
    // Timestamps the listings parsed, kept per client: DigiLocker repeats a user's few (normalize.ts).
    this.files = new FilesApi(this.#transport, this.settings, new TimestampMemo());
    this.pull = new PullApi(this.#transport);
    this.meta = new MetaApi(this.#transport, this.settings);
  }

  /** Closes the keep-alive pool the client owns (an injected dispatcher is left to its owner). */
  close(): Promise<void> {
    return this.#transport.close();
  }
}
