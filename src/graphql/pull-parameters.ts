// Pull Document's search parameters, checked against the issuer's list (Get Search Parameters, cached) before any
// pull: every listed name given once, no other name, and a value from the value list where there is one.
import type { SearchParameter } from "../digilocker/index.js";

export interface GivenParameter {
  name: string;
  value: string;
}

/** One parameter at fault: its name and what is wrong with it, in words a person can act on. */
export interface ParameterIssue {
  name: string;
  problem: string;
}

/**
 * Every issue with `given`, in the issuer's order, then the unknown names in the order given; empty when the pull
 * may go ahead. Names match exactly (DigiLocker's paramnames are case-sensitive); values are compared trimmed.
 */
export function parameterIssues(expected: readonly SearchParameter[], given: readonly GivenParameter[]): ParameterIssue[] {
  const issues: ParameterIssue[] = [];
  const counts = new Map<string, number>();
  for (const p of given) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
  for (const param of expected) {
    const values = given.filter((p) => p.name === param.paramName).map((p) => p.value.trim());
    const value = values[0];
    if (value === undefined || value === "") {
      issues.push({ name: param.paramName, problem: `is required (${param.label})` });
    } else if (values.length > 1) {
      issues.push({ name: param.paramName, problem: "is given more than once" });
    } else if (param.options !== null && param.options.length > 0 && !param.options.includes(value)) {
      issues.push({ name: param.paramName, problem: `must be one of the listed values (${summary(param.options)})` });
    }
  }
  const known = new Set(expected.map((p) => p.paramName));
  for (const name of counts.keys()) {
    if (!known.has(name)) issues.push({ name, problem: "is not a search parameter of this document type" });
  }
  return issues;
}

/** The parameters as the client sends them, trimmed, once every issue is ruled out. */
export function parameterValues(given: readonly GivenParameter[]): Record<string, string> {
  return Object.fromEntries(given.map((p) => [p.name, p.value.trim()]));
}

function summary(options: readonly string[]): string {
  return options.length <= 6 ? options.join(", ") : `${options.slice(0, 3).join(", ")}, …, ${options.at(-1) ?? ""}`;
}
