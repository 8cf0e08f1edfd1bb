// DigiLocker's catalogue (issuers, doctypes, parameters) and statistics, cached in process. The spec asks
// partners to cache the meta APIs ("this information does not change frequently").
import type { DigiLockerClient, DocType, Issuer, SearchParameter, Statistics } from "../digilocker/index.js";
import { CachedFetcher, type Clock } from "./cached-fetcher.js";

export interface MetaCacheOptions {
  ttlMs: number;
  statisticsTtlMs: number;
  maxEntries: number;
  clock?: Clock;
}

export interface IssuerIndex {
  all: readonly Issuer[];
  byOrgId: ReadonlyMap<string, Issuer>;
  /** Issued documents name their issuer by this id (`in.gov.cbse`), not by orgid. */
  byIssuerId: ReadonlyMap<string, Issuer>;
}

export class MetaCache {
  readonly #index: CachedFetcher<"issuers", IssuerIndex>;
  readonly #docTypes: CachedFetcher<string, DocType[]>;
  readonly #parameters: CachedFetcher<string, SearchParameter[]>;
  readonly #statistics: CachedFetcher<"statistics", Statistics>;

  constructor(client: DigiLockerClient, options: MetaCacheOptions) {
    const common = { ttlMs: options.ttlMs, maxEntries: options.maxEntries, clock: options.clock };
    this.#index = new CachedFetcher(async () => indexIssuers(await client.meta.issuers()), { ...common, maxEntries: 1 });
    this.#docTypes = new CachedFetcher((orgId) => client.meta.docTypes(orgId), common);
    this.#parameters = new CachedFetcher((key) => {
      const [orgId = "", docType = ""] = key.split("\n");
      return client.meta.parameters(orgId, docType);
    }, common);
    this.#statistics = new CachedFetcher(() => client.meta.statistics(), {
      ...common,
      ttlMs: options.statisticsTtlMs,
      maxEntries: 1,
    });
  }

  issuers(): Promise<IssuerIndex> {
    return this.#index.get("issuers");
  }

  docTypes(orgId: string): Promise<DocType[]> {
    return this.#docTypes.get(orgId);
  }

  /** The issuer index if cached and fresh, else undefined (then call issuers()): a read without a promise. */
  freshIssuers(): IssuerIndex | undefined {
    return this.#index.fresh("issuers");
  }

  /** One issuer's doctypes if cached and fresh, else undefined (then call docTypes()). */
  freshDocTypes(orgId: string): DocType[] | undefined {
    return this.#docTypes.fresh(orgId);
  }

  parameters(orgId: string, docType: string): Promise<SearchParameter[]> {
    return this.#parameters.get(`${orgId}\n${docType}`);
  }

  statistics(): Promise<Statistics> {
    return this.#statistics.get("statistics");
  }
}

function indexIssuers(all: Issuer[]): IssuerIndex {
  const byOrgId = new Map<string, Issuer>();
  const byIssuerId = new Map<string, Issuer>();
  for (const issuer of all) {
    byOrgId.set(issuer.orgId, issuer);
    if (issuer.issuerId !== null) byIssuerId.set(issuer.issuerId, issuer);
  }
  return { all, byOrgId, byIssuerId };
}
