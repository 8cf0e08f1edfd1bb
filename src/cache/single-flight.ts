// Concurrent identical calls share one promise while it is in flight; nothing is kept afterwards.
// Used for a user's data, keyed by a hash of their token, so it is never shared between tokens.
export class SingleFlight<V> {
  readonly #inFlight = new Map<string, Promise<V>>();

  run(key: string, call: () => Promise<V>): Promise<V> {
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const promise = call().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }
}
