// defineLazy (seed/lazy.ts): signed XML is made on first read, once, and otherwise behaves like a plain
// property to every reader and writer.
import { describe, expect, it, vi } from "vitest";
import { defineLazy } from "../../../src/sandbox/seed/lazy.js";

describe("defineLazy", () => {
  it("computes on first read only, then keeps the value", () => {
    const compute = vi.fn(() => "<signed/>");
    const doc: { uri: string; xml: string | null } = { uri: "u", xml: null };
    defineLazy(doc, "xml", compute);
    expect(compute).not.toHaveBeenCalled();
    expect(doc.xml).toBe("<signed/>");
    expect(doc.xml).toBe("<signed/>");
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it("is seen by spread, JSON, Object.keys and deep equality", () => {
    const doc: { uri: string; xml: string | null } = { uri: "u", xml: null };
    defineLazy(doc, "xml", () => "<signed/>");
    expect(Object.keys(doc)).toEqual(["uri", "xml"]);
    expect({ ...doc }).toEqual({ uri: "u", xml: "<signed/>" });
    expect(JSON.parse(JSON.stringify(doc))).toEqual({ uri: "u", xml: "<signed/>" });
    expect(doc).toEqual({ uri: "u", xml: "<signed/>" });
  });

  it("takes a written value (null included) without computing", () => {
    const compute = vi.fn(() => "<signed/>");
    const doc: { xml: string | null } = { xml: null };
    defineLazy(doc, "xml", compute);
    Object.assign(doc, { xml: "<pushed/>" });
    expect(doc.xml).toBe("<pushed/>");
    doc.xml = null;
    expect(doc.xml).toBeNull();
    expect(compute).not.toHaveBeenCalled();
  });
});
