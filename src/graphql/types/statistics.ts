// Stats: DigiLocker's public counts (Get Statistics), cached for an hour by default.
import type { Statistics } from "../../digilocker/index.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import { needsScope } from "../scope-grants.js";

type Monthly = Statistics["monthwiseRegistrations"][number];
type Yearly = Statistics["yearwiseAuthenticDocuments"][number];

const MonthlyRegistrationsRef = builder.objectRef<Monthly>("MonthlyRegistrations").implement({
  description: "Users registered in DigiLocker as of one month (cumulative, as DigiLocker reports them).",
  fields: (t) => ({
    month: t.exposeInt("month", { description: "The month, 1 to 12." }),
    year: t.exposeInt("year", { description: "The year." }),
    count: t.expose("count", { type: "Count", description: "Registered users." }),
  }),
});

const YearlyAuthenticDocumentsRef = builder.objectRef<Yearly>("YearlyAuthenticDocuments").implement({
  description: "Authentic documents issued into DigiLocker as of one year (cumulative, as DigiLocker reports them).",
  fields: (t) => ({
    year: t.exposeInt("year", { description: "The year." }),
    count: t.expose("count", { type: "Count", description: "Authentic documents." }),
  }),
});

const StatsRef = builder.objectRef<Statistics>("Stats").implement({
  description: "DigiLocker's public usage counts. Counts pass 2^31, so they are Count, not Int.",
  fields: (t) => ({
    users: t.expose("users", { type: "Count", description: "Registered users." }),
    authenticDocuments: t.expose("authenticDocuments", {
      type: "Count",
      description: "Authentic documents issued into lockers.",
    }),
    issuers: t.expose("issuers", { type: "Count", description: "Issuer organisations." }),
    requesters: t.expose("requesters", {
      type: "Count",
      description: "Requester organisations (DigiLocker spells it requesters or requestors; both are read).",
    }),
    countAsOn: t.expose("countAsOn", {
      type: "Date",
      nullable: true,
      description: "The day the counts were taken; null when DigiLocker does not say.",
    }),
    monthwiseRegistrations: t.field({
      type: [MonthlyRegistrationsRef],
      extensions: cost({ items: 12 }),
      description: "Registered users month by month, as DigiLocker sends them (the last 12 months).",
      resolve: (stats) => stats.monthwiseRegistrations,
    }),
    yearwiseAuthenticDocuments: t.field({
      type: [YearlyAuthenticDocumentsRef],
      extensions: cost({ items: 20 }),
      description: "Authentic documents year by year, as DigiLocker sends them.",
      resolve: (stats) => stats.yearwiseAuthenticDocuments,
    }),
  }),
});

builder.queryField("statistics", (t) =>
  t.field({
    type: StatsRef,
    nullable: true,
    extensions: cost({ viaMetaCache: true }),
    description:
      "DigiLocker's public counts: users, documents, issuers, requesters, and their growth. Null, with an error, when DigiLocker cannot answer. " +
      needsScope("catalogue:read"),
    authScopes: { partner: "catalogue:read" },
    resolve: (_root, _args, ctx) => ctx.digilocker.meta.statistics(),
  }),
);
