// One attempt's abort switch: the request deadline (timeouts.requestMs) or the caller's signal, whichever comes
// first. undici takes an EventEmitter with `aborted` and `reason` as a request signal; building one costs about
// 0.4 µs, where an AbortController, its AbortSignal and a listener cost about 7 µs on every upstream call.
import { EventEmitter } from "node:events";

export class AttemptAbort extends EventEmitter {
  aborted = false;
  /** Set when the deadline passed (rather than the caller aborting). */
  timedOut = false;
  reason: unknown = undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #caller: AbortSignal | undefined;
  readonly #onCallerAbort: (() => void) | undefined;

  /** `timeoutReason` is what undici rejects with when the deadline passes. */
  constructor(timeoutMs: number, timeoutReason: () => unknown, caller?: AbortSignal) {
    super();
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      this.#abort(timeoutReason());
    }, timeoutMs);
    this.#caller = caller;
    if (caller !== undefined) {
      if (caller.aborted) {
        this.aborted = true;
        this.reason = caller.reason;
      } else {
        this.#onCallerAbort = () => { this.#abort(caller.reason); };
        caller.addEventListener("abort", this.#onCallerAbort, { once: true });
      }
    }
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  /**
   * Ends the deadline. The link to the caller's signal stays when the body was handed over (a download the caller
   * still reads, and may still abort); otherwise it is removed, so one long-lived caller signal gathers no listeners.
   */
  finish(bodyHandedOver: boolean): void {
    clearTimeout(this.#timer);
    if (!bodyHandedOver && this.#onCallerAbort !== undefined) this.#caller?.removeEventListener("abort", this.#onCallerAbort);
  }

  #abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit("abort");
  }
}
