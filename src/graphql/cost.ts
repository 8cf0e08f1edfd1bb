// What a field costs, declared on the field itself (its GraphQL `extensions.cost`), so the operation limits
// (operation-limits.ts) can price a query before anything runs: docs/limits.md explains the model.
import type { GraphQLField } from "graphql";

export interface FieldCost {
  /**
   * DigiLocker calls one resolution of this field may make on the caller's behalf (a user's listings and
   * account, revocations). Counted against GRAPHQL_MAX_UPSTREAM_CALLS, times the lists around the field.
   */
  readonly upstream?: number;
  /**
   * Fields with the same key on one object share one call (a user's account fields share Get User Details,
   * a folder's contents share its listing): the key is counted once per object, not once per field.
   */
  readonly shared?: string;
  /**
   * Reaches DigiLocker's meta APIs through the shared MetaCache, which answers every caller from one entry (one
   * call per list and TTL, single-flight): not counted against a request's upstream budget, but declared, so
   * that every field that reaches DigiLocker says so.
   */
  readonly viaMetaCache?: boolean;
  /**
   * Records one resolution creates in the store for any caller, signed in or not (a sign-in started, a consent
   * request): charged to the per-client writes budget (RATE_LIMIT_WRITES_PER_CLIENT) before the operation runs.
   */
  readonly writes?: number;
  /**
   * Answers something about anyone, not the caller (verifyAccount: whether a number is registered): charged to the
   * per-client budget (RATE_LIMIT_PER_CLIENT) on every request, a live session's included, so that signing in
   * does not lift the limit on enumerating numbers.
   */
  readonly alwaysCharged?: boolean;
  /**
   * For a list of objects, how many items to price it at: a fixed estimate, or `page` for a connection
   * (its `first` or `last`, 20 when neither is given, at most 100).
   */
  readonly items?: number | "page";
}

/** `extensions: cost({ … })` on a Pothos field. */
export function cost(declared: FieldCost): { cost: FieldCost } {
  return { cost: declared };
}

/** The page size a connection falls back to, and the most it accepts (key-pagination.ts, folder.ts). */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function declaredCost(field: GraphQLField<unknown, unknown>): FieldCost | undefined {
  const value = (field.extensions as { cost?: FieldCost } | undefined)?.cost;
  return value;
}
