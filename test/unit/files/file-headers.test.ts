// The headers a file is served with: Content-Disposition safe for any name, and a Content-Type a browser
// will never render as a page of ours.
import { describe, expect, it } from "vitest";
import { contentDisposition, servedContentType } from "../../../src/files/file-headers.js";

describe("contentDisposition", () => {
  it.each([
    ["ATTACHMENT", "marksheet.pdf", 'attachment; filename="marksheet.pdf"'],
    ["INLINE", "marksheet.pdf", 'inline; filename="marksheet.pdf"'],
    [
      "ATTACHMENT",
      "मार्कशीट 2024.pdf",
      "attachment; filename=\"_ 2024.pdf\"; filename*=UTF-8''%E0%A4%AE%E0%A4%BE%E0%A4%B0%E0%A5%8D%E0%A4%95%E0%A4%B6%E0%A5%80%E0%A4%9F%202024.pdf",
    ],
    ["ATTACHMENT", "Café résumé.pdf", "attachment; filename=\"Cafe resume.pdf\"; filename*=UTF-8''Caf%C3%A9%20r%C3%A9sum%C3%A9.pdf"],
    ["ATTACHMENT", "it's (final)*.pdf", 'attachment; filename="it\'s (final)*.pdf"'],
    ["ATTACHMENT", "100%.pdf", "attachment; filename=\"100_.pdf\"; filename*=UTF-8''100%25.pdf"],
    ["ATTACHMENT", 'a\r\nb"c/d\\e.pdf', 'attachment; filename="abc_d_e.pdf"'],
    ["ATTACHMENT", "../../etc/passwd", 'attachment; filename="_.._etc_passwd"'],
    ["ATTACHMENT", "\u202efdp.exe", 'attachment; filename="fdp.exe"'],
    ["ATTACHMENT", "", 'attachment; filename="download"'],
    ["ATTACHMENT", " .. ", 'attachment; filename="download"'],
    ["ATTACHMENT", "\ud800.pdf", "attachment; filename=\"_.pdf\"; filename*=UTF-8''%EF%BF%BD.pdf"],
  ] as const)("%s %j", (disposition, name, expected) => {
    expect(contentDisposition(disposition, name)).toBe(expected);
  });

  it("cuts a long name to 200 characters", () => {
    expect(contentDisposition("ATTACHMENT", "x".repeat(500))).toBe(`attachment; filename="${"x".repeat(200)}"`);
  });

  it("never lets a name break out of the header", () => {
    for (const name of ['"; filename="evil.html', "a\nSet-Cookie: x=1", "a\u0000b", "a\u0085b"]) {
      const header = contentDisposition("ATTACHMENT", name);
      // eslint-disable-next-line no-control-regex -- what must not be there
      expect(header).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(header.match(/"/g)).toHaveLength(2);
    }
  });
});

describe("servedContentType", () => {
  it.each([
    ["application/pdf", "application/xml", "application/pdf"],
    ["Application/PDF; charset=binary", "application/pdf", "application/pdf"],
    ["application/xml; charset=UTF-8", "application/xml", "application/xml"],
    ["image/jpg", "image/jpeg", "image/jpeg"],
    ["application/octet-stream", "image/png", "image/png"],
    [null, "application/pdf", "application/pdf"],
    ["text/html", "text/html", "application/octet-stream"],
    ["image/svg+xml", "application/pdf", "application/pdf"],
    ["image/svg+xml", "image/svg+xml", "application/octet-stream"],
  ] as const)("DigiLocker %s, link %s: %s", (upstream, link, expected) => {
    expect(servedContentType(upstream, link)).toBe(expected);
  });
});
