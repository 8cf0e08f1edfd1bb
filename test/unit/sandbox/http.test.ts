// formFields: the meta POST bodies, urlencoded or multipart/form-data (docs/spec-assumptions.md #3).
// Multipart bodies are serialised by the platform's own FormData, exactly as a client puts them on the wire.
import { describe, expect, it } from "vitest";
import { formFields, header, type SandboxRequest } from "../../../src/sandbox/http.js";

function request(contentType: string | undefined, body: Buffer | string): SandboxRequest {
  return {
    method: "POST",
    url: new URL("http://127.0.0.1/public/oauth2/1/pull/issuers"),
    headers: contentType === undefined ? {} : { "content-type": contentType },
    params: {},
    body: Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"),
    oversized: false,
    cookies: {},
  };
}

/** The wire form of a FormData: its content-type (with the boundary) and bytes. */
async function multipart(fields: [string, string | Blob, string?][]): Promise<{ type: string; body: Buffer }> {
  const form = new FormData();
  for (const [name, value, filename] of fields) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, value, filename);
  }
  const wire = new Response(form);
  return { type: wire.headers.get("content-type") ?? "", body: Buffer.from(await wire.arrayBuffer()) };
}

describe("formFields, application/x-www-form-urlencoded", () => {
  it("reads the fields, decoding percent-escapes, + as space and UTF-8", () => {
    const body = "clientid=SANDBOX1&ts=1700000000&description=Caf%C3%A9+%E2%82%B9&hmac=ab%2Bcd";
    expect(formFields(request("application/x-www-form-urlencoded", body))).toEqual({
      clientid: "SANDBOX1",
      ts: "1700000000",
      description: "Café ₹",
      hmac: "ab+cd",
    });
  });

  it("reads a charset parameter and a body without a content-type the same way", () => {
    const body = "orgid=000018&ts=1";
    expect(formFields(request("application/x-www-form-urlencoded; charset=UTF-8", body))).toEqual({ orgid: "000018", ts: "1" });
    expect(formFields(request(undefined, body))).toEqual({ orgid: "000018", ts: "1" });
  });

  it("keeps empty values, and the last of a repeated name", () => {
    expect(formFields(request("application/x-www-form-urlencoded", "validfrom=&uid=1&uid=2"))).toEqual({ validfrom: "", uid: "2" });
  });

  it("gives no fields for an empty body", () => {
    expect(formFields(request("application/x-www-form-urlencoded", ""))).toEqual({});
  });
});

describe("formFields, multipart/form-data", () => {
  it("reads text parts as a client's FormData sends them", async () => {
    const { type, body } = await multipart([
      ["clientid", "SANDBOX1"],
      ["ts", "1700000000"],
      ["hmac", "0".repeat(64)],
    ]);
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    expect(formFields(request(type, body))).toEqual({ clientid: "SANDBOX1", ts: "1700000000", hmac: "0".repeat(64) });
  });

  it("decodes values as UTF-8 and keeps line breaks, empty values and trailing CRLFs inside a value", async () => {
    const { type, body } = await multipart([
      ["description", "प्रमाण पत्र — Café ₹"],
      ["note", "line one\r\nline two\r\n"],
      ["validto", ""],
    ]);
    expect(formFields(request(type, body))).toEqual({
      description: "प्रमाण पत्र — Café ₹",
      note: "line one\r\nline two\r\n",
      validto: "",
    });
  });

  it("keeps base64 content intact (Push URI's doccontent)", async () => {
    const doccontent = Buffer.from("%PDF-1.4\n\u00e2\u00e3\n%%EOF\n", "latin1").toString("base64");
    const { type, body } = await multipart([["doccontent", doccontent]]);
    expect(formFields(request(type, body)).doccontent).toBe(doccontent);
  });

  it("ignores file parts: no meta call has one", async () => {
    const { type, body } = await multipart([
      ["clientid", "SANDBOX1"],
      ["upload", new Blob(["%PDF-1.4"], { type: "application/pdf" }), "a.pdf"],
      ["ts", "1"],
    ]);
    expect(formFields(request(type, body))).toEqual({ clientid: "SANDBOX1", ts: "1" });
  });

  it("accepts a quoted boundary, other parameters before it, and any case of the media type", () => {
    const body = ["--xyz", 'Content-Disposition: form-data; name="orgid"', "", "000018", "--xyz--", ""].join("\r\n");
    expect(formFields(request('multipart/form-data; boundary="xyz"', body))).toEqual({ orgid: "000018" });
    expect(formFields(request("Multipart/Form-Data; charset=utf-8; boundary=xyz", body))).toEqual({ orgid: "000018" });
  });

  it("stops at the closing delimiter and skips parts without a name", () => {
    const body = [
      "--B",
      "Content-Disposition: form-data",
      "",
      "nameless",
      "--B",
      'Content-Disposition: form-data; name="ts"',
      "Content-Type: text/plain; charset=utf-8",
      "",
      "1700000000",
      "--B--",
      'Content-Disposition: form-data; name="after"',
      "",
      "epilogue",
    ].join("\r\n");
    expect(formFields(request("multipart/form-data; boundary=B", body))).toEqual({ ts: "1700000000" });
  });

  it("gives no fields for an empty multipart body", () => {
    expect(formFields(request("multipart/form-data; boundary=B", ""))).toEqual({});
  });
});

describe("header", () => {
  it("gives the first value, trimmed, and undefined for a blank or absent header", () => {
    const req = request(undefined, "");
    req.headers = { path: "  /a.pdf  ", hmac: "   ", "x-list": ["one", "two"] };
    expect(header(req, "Path")).toBe("/a.pdf");
    expect(header(req, "hmac")).toBeUndefined();
    expect(header(req, "x-list")).toBe("one");
    expect(header(req, "content-type")).toBeUndefined();
  });
});
