// Account Detail API (spec: Get User Details, GET /oauth2/1/user).
import { bearerCaller, isReply, scopes } from "../auth.js";
import { errors } from "../errors.js";
import { json } from "../http.js";
import type { Route } from "../router.js";

export const accountRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/public/oauth2/1/user",
    endpoint: "account.user",
    handler(req, ctx) {
      const caller = bearerCaller(req, ctx);
      if (isReply(caller)) return caller;
      if (!caller.grant.scopes.includes(scopes.userDetails)) return errors.insufficientScope();
      const { user } = caller;
      // The field list names the flag `eaadhaar` (spec 468); the sample's `aadhaar` (spec 491) is not sent
      // (docs/spec-assumptions.md #15: clients read both).
      return json(200, {
        digilockerid: user.digilockerId,
        name: user.name,
        dob: user.dob,
        gender: user.gender,
        eaadhaar: user.eAadhaarXml === null ? "N" : "Y",
        reference_key: user.referenceKey,
      });
    },
  },
];
