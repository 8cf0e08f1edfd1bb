// SearchParameter: one input a user fills in to pull a document (Get Search Parameters).
import type { SearchParameter } from "../../digilocker/index.js";
import { builder } from "../builder.js";

export const SearchParameterRef = builder.objectRef<SearchParameter>("SearchParameter");

SearchParameterRef.implement({
  description: "One value a user enters to find their document at the issuer (a roll number, a year).",
  fields: (t) => ({
    label: t.exposeString("label", { description: "What to show beside the input (\"Roll Number\")." }),
    name: t.exposeString("paramName", {
      description: "The parameter's name when pulling the document (DigiLocker's paramname, \"rollno\").",
    }),
    options: t.exposeStringList("options", {
      nullable: true,
      description: "The allowed values when the input is a choice (DigiLocker's valuelist); null for free text.",
    }),
    example: t.exposeString("example", {
      nullable: true,
      description: "A sample value in the expected format; null when DigiLocker gives none.",
    }),
  }),
});
