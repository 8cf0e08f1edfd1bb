// Placeholder until the meta types land: the Issuer ref other types point at.
import type { Issuer } from "../../digilocker/index.js";
import { builder } from "../builder.js";

export const IssuerRef = builder.objectRef<Issuer>("Issuer");
IssuerRef.implement({ fields: (t) => ({ name: t.exposeString("name") }) });
