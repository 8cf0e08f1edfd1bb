// Placeholder until the meta types land: the DocType ref other types point at.
import { builder } from "../builder.js";

/** A document type of one issuer: DigiLocker's doctype codes repeat across issuers, so orgId is part of it. */
export interface DocTypeModel {
  orgId: string;
  code: string;
  description: string;
}

export const DocTypeRef = builder.objectRef<DocTypeModel>("DocType");
DocTypeRef.implement({ fields: (t) => ({ code: t.exposeString("code") }) });
