// A document's contents: signed download links (docs/downloads.md) for issued and uploaded files, and an issued
// document's certificate data with its XML signature's verdict (docs/xml-signatures.md). Links cost DigiLocker
// nothing until they are opened; certificate data is one Get Certificate Data in XML Format per document.
import { tenantRef } from "../../auth/tenant-source.js";
import type { UserAccess } from "../../auth/user-access.js";
import type { CertificateModel, SignatureModel } from "../../documents/document-contents.js";
import type { DownloadLink, LinkRequest } from "../../files/download-links.js";
import { safeFileName } from "../../files/file-headers.js";
import { builder } from "../builder.js";
import type { Context } from "../context.js";
import { cost } from "../cost.js";
import { needsScope } from "../scope-grants.js";
import { UploadedFileRef } from "./folder.js";
import { IssuedDocumentRef } from "./issued-document.js";
import { ownerAt } from "./user.js";

export const XmlSignatureStatusEnum = builder.enumType("XmlSignatureStatus", {
  description: "The verdict on a document's XML signature, checked against the gateway's pinned signing certificates.",
  values: {
    VALID: { description: "Signed by a trusted signer whose certificate was valid when the document was signed (or is now), and unaltered since." },
    INVALID: {
      description:
        "The signature does not hold: altered content, a signature not over the whole document, a disallowed algorithm, or a document refused before verifying (a DTD, entities, processing instructions). No data is read from it.",
    },
    UNSIGNED: { description: "The document carries no signature; its data is read as sent." },
    UNKNOWN_SIGNER: { description: "Signed and unaltered, but by a certificate the gateway does not trust (XML_TRUSTED_CERTIFICATES)." },
    SIGNER_EXPIRED: { description: "Signed by a trusted certificate outside its validity, both when the document says it was signed and now." },
  } as const,
});

export const XmlSignatureRef = builder.objectRef<SignatureModel>("XmlSignature").implement({
  description: "Whether a document's XML signature holds, and who signed it.",
  fields: (t) => ({
    status: t.field({ type: XmlSignatureStatusEnum, resolve: (s) => s.status, description: "The verdict." }),
    reason: t.exposeString("reason", { description: "Why, in a few words (`digest mismatch`, `DOCTYPE refused`, …): for people and logs, not to switch on." }),
    algorithm: t.string({
      nullable: true,
      description: "The signature algorithm over SignedInfo: `RSA-SHA256`, or `RSA-SHA1` (with a SHA-256 digest, the profile reported for DigiLocker); null when unsigned.",
      resolve: (s) => s.algorithm,
    }),
    signerName: t.string({
      nullable: true,
      description: "The signing certificate's subject common name; null when no certificate verified the signature.",
      resolve: (s) => s.signerName,
    }),
    certificateFingerprint: t.string({
      nullable: true,
      description: "SHA-256 fingerprint (lowercase hex) of the certificate that verified the signature; null when none did.",
      resolve: (s) => s.certificateFingerprint,
    }),
  }),
});

const CertificateRef = builder.objectRef<CertificateModel>("Certificate").implement({
  description: "An issued document's machine-readable data (DigiLocker's certificate XML), with the verdict on its signature.",
  fields: (t) => ({
    data: t.field({
      type: "JSON",
      nullable: true,
      description:
        "The certificate as JSON, read from what the signature covers (the raw XML when UNSIGNED): elements as keys, attributes as `@name`, text as `#text` beside attributes, every value a string, a repeated element as a list. Null when the signature is INVALID.",
      resolve: (c) => c.data,
    }),
    signature: t.field({ type: XmlSignatureRef, resolve: (c) => c.signature, description: "Whether the XML signature holds, and who signed." }),
  }),
});

const DownloadFormatEnum = builder.enumType("DownloadFormat", {
  description: "Which form of an issued document to download.",
  values: {
    PDF: { description: "The document as a PDF (spec: Get File from URI)." },
    XML: { description: "Its certificate data as XML (spec: Get Certificate Data in XML Format), when `hasXml`." },
  } as const,
});

const DispositionEnum = builder.enumType("Disposition", {
  description: "How a browser opening the link treats the file (the Content-Disposition it is served with).",
  values: {
    ATTACHMENT: { description: "Save it as a file." },
    INLINE: { description: "Show it in place (a PDF in an iframe or a new tab)." },
  } as const,
});

const DownloadLinkRef = builder.objectRef<DownloadLink>("DownloadLink").implement({
  description:
    "A link to the gateway that streams the file from DigiLocker, its integrity checked. It expires (DOWNLOAD_LINK_TTL_SECONDS) and dies with the session, consent request or token that asked for it; it carries no token and no document number. Opening it costs a DigiLocker call.",
  fields: (t) => ({
    url: t.exposeString("url", { description: "Absolute URL on the gateway (`…/files/<opaque>`); GET it, no credentials needed." }),
    expiresAt: t.field({ type: "DateTime", resolve: (l) => l.expiresAt, description: "When the link stops working (410 after)." }),
    fileName: t.exposeString("fileName", { description: "The name the file is served under (Content-Disposition)." }),
    mimeType: t.exposeString("mimeType", { description: "The file's type, e.g. `application/pdf`." }),
  }),
});

/** The name a file is served under (file-headers.ts's safeFileName: the same the link's Content-Disposition gives), with its extension. */
export function downloadFileName(name: string, extension: string): string {
  const clean = safeFileName(name);
  return clean.toLowerCase().endsWith(extension) ? clean : `${clean}${extension}`;
}

async function link(owner: UserAccess, ctx: Context, request: Omit<LinkRequest, "binding">): Promise<DownloadLink> {
  // A bearer token's link streams through the client serving this request (the partner's own, docs/tenants.md).
  return ctx.services.downloadLinks.create({ ...request, binding: await owner.linkBinding(tenantRef(ctx.digilocker.identity)) });
}

builder.objectFields(IssuedDocumentRef, (t) => ({
  download: t.field({
    type: DownloadLinkRef,
    nullable: true,
    description:
      "A signed, expiring link that downloads the document (docs/downloads.md). Null when it has no such format (`XML` without `hasXml`). Free: DigiLocker is called when the link is opened. " +
      needsScope("documents:contents"),
    authScopes: { partner: "documents:contents" },
    args: {
      format: t.arg({ type: DownloadFormatEnum, defaultValue: "PDF", required: true, description: "PDF (default) or the certificate data as XML." }),
      disposition: t.arg({ type: DispositionEnum, defaultValue: "ATTACHMENT", required: true, description: "Save (default) or show in place." }),
    },
    resolve: (doc, { format, disposition }, ctx, info) => {
      const mimeType = format === "XML" ? "application/xml" : "application/pdf";
      if (!doc.mimeTypes.includes(mimeType)) return null;
      return link(ownerAt(ctx, info), ctx, {
        uri: doc.uri,
        format: format === "XML" ? "XML" : "FILE",
        disposition,
        fileName: downloadFileName(doc.name, format === "XML" ? ".xml" : ".pdf"),
        mimeType,
      });
    },
  }),
  certificate: t.field({
    type: CertificateRef,
    nullable: true,
    description:
      "The document's certificate data with its signature checked; null when it has none (`hasXml` false). One DigiLocker call per document, shared within the request; nothing is kept after it. " +
      needsScope("documents:contents"),
    authScopes: { partner: "documents:contents" },
    extensions: cost({ upstream: 1 }),
    resolve: async (doc, _args, ctx, info) => {
      if (!doc.mimeTypes.includes("application/xml")) return null;
      return ctx.services.contents.certificate(await ctx.loaders.user(ownerAt(ctx, info)).certificateXml(doc.uri));
    },
  }),
}));

builder.objectField(UploadedFileRef, "download", (t) =>
  t.field({
    type: DownloadLinkRef,
    nullable: true,
    description:
      "A signed, expiring link that downloads the file (docs/downloads.md); null when DigiLocker gave no URI. Free: DigiLocker is called when the link is opened. " +
      needsScope("documents:contents"),
    authScopes: { partner: "documents:contents" },
    args: {
      disposition: t.arg({ type: DispositionEnum, defaultValue: "ATTACHMENT", required: true, description: "Save (default) or show in place." }),
    },
    resolve: (file, { disposition }, ctx, info) => {
      if (file.uri === null) return null;
      return link(ownerAt(ctx, info), ctx, {
        uri: file.uri,
        format: "FILE",
        disposition,
        fileName: downloadFileName(file.name, ""),
        mimeType: file.mimeTypes[0] ?? "application/octet-stream",
      });
    },
  }),
);
