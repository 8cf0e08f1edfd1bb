// Counts every upstream attempt per DigiLocker endpoint: what tests, the benchmark and /metrics read.
import type { CallEvent } from "../digilocker/index.js";

export class UpstreamCalls {
  readonly #counts = new Map<string, number>();
  readonly #failures = new Map<string, number>();

  readonly record = (event: CallEvent): void => {
    this.#counts.set(event.endpoint, (this.#counts.get(event.endpoint) ?? 0) + 1);
    if (event.error) this.#failures.set(event.endpoint, (this.#failures.get(event.endpoint) ?? 0) + 1);
  };

  count(endpoint: string): number {
    return this.#counts.get(endpoint) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const n of this.#counts.values()) sum += n;
    return sum;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.#counts.clear();
    this.#failures.clear();
  }

  /** Prometheus text exposition. */
  prometheus(): string {
    const lines = [
      "# HELP digilocker_upstream_calls_total Calls made to DigiLocker, by endpoint (each retry counts).",
      "# TYPE digilocker_upstream_calls_total counter",
      ...[...this.#counts].map(([e, n]) => `digilocker_upstream_calls_total{endpoint="${e}"} ${n}`),
      "# HELP digilocker_upstream_failures_total Calls to DigiLocker that failed, by endpoint.",
      "# TYPE digilocker_upstream_failures_total counter",
      ...[...this.#failures].map(([e, n]) => `digilocker_upstream_failures_total{endpoint="${e}"} ${n}`),
    ];
    return `${lines.join("\n")}\n`;
  }
}
