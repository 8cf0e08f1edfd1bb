// GET /files/<link>: a download link (src/files/download-links.ts) streams its file from DigiLocker. The link is
// checked (signature, expiry, record), then whom it acts for (session, consent request or bearer token), then the
// file is streamed with its last chunk held back until DigiLocker's hmac has matched (src/files/relay.ts).
// Answers and headers: docs/downloads.md. Nothing the link stands for (token, session id, URI) is ever logged.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  DigiLockerInputError,
  FileIntegrityError,
  InsufficientScopeError,
  InvalidTokenError,
  NotFoundError,
  type DigiLockerClient,
  type FileDownload,
} from "../digilocker/index.js";
import { sameTenant } from "../auth/tenant-source.js";
import { isRefusal, refusal, type OpenedLink } from "../files/download-links.js";
import { contentDisposition, servedContentType } from "../files/file-headers.js";
import { accessFor, type LinkAccess } from "../files/link-access.js";
import { relayHoldingBack } from "../files/relay.js";
import type { Services } from "../graphql/context.js";
import { StoreUnavailableError } from "../store/index.js";
import { SealedSecretUnreadable } from "../tenants/credential-sealing.js";
import { logFailure } from "./error-log.js";
import type { Logger } from "./logger.js";
import { FILE_ERROR_HEADERS, fileHeaders } from "./security-headers.js";

/** The paths handled here; app.ts routes them before yoga. */
export const FILES_PATH = "/files";
const PREFIX = `${FILES_PATH}/`;
/** What log lines name the route: never the path, which is the link itself. */
const ROUTE = "/files/:link";

export function isFilePath(path: string): boolean {
  return path === FILES_PATH || path.startsWith(PREFIX);
}

/** An error answer: `{ error, message }` (docs/downloads.md, "Status codes"). */
export interface FileRouteError {
  status: number;
  error: string;
  message: string;
}

const ERROR_HEADERS = {
  "content-type": "application/json",
  "cache-control": "no-store",
  ...FILE_ERROR_HEADERS,
};

/** Every file answer's headers but its type, length, disposition and security headers (security-headers.ts). */
const FILE_HEADERS = {
  "cache-control": "private, no-store",
};

const FAILURES = {
  notFound: { status: 404, error: "document_not_found", message: "DigiLocker has no such document in this locker. Check that it is still there, then ask for a new link." },
  scope: { status: 403, error: "insufficient_scope", message: "The DigiLocker consent behind this link does not cover this document. Sign in again and allow access to it." },
  integrity: {
    status: 502,
    error: "file_integrity_failed",
    message: "The file DigiLocker sent failed its integrity check, so it was not delivered. Try again in a moment.",
  },
  unavailable: { status: 502, error: "digilocker_unavailable", message: "DigiLocker could not deliver the file right now. Try again in a moment." },
  store: { status: 503, error: "service_unavailable", message: "Download links cannot be checked right now. Try again shortly." },
  credentials: {
    status: 503,
    error: "partner_credentials_unreadable",
    message: "The application's own DigiLocker credentials cannot be used right now, so the file was not asked for. The application's operator must set them again.",
  },
} as const satisfies Record<string, FileRouteError>;

/** The answer to a failure before any byte of the file was sent; DigiLocker's own words are never passed on. */
export function failureAnswer(error: unknown): FileRouteError {
  if (error instanceof NotFoundError || error instanceof DigiLockerInputError) return FAILURES.notFound;
  if (error instanceof InsufficientScopeError) return FAILURES.scope;
  if (error instanceof FileIntegrityError) return FAILURES.integrity;
  if (error instanceof StoreUnavailableError) return FAILURES.store;
  if (error instanceof SealedSecretUnreadable) return FAILURES.credentials;
  return FAILURES.unavailable;
}

interface RouteRequest {
  services: Services;
  log: Logger;
  req: IncomingMessage;
  res: ServerResponse;
  clientKey: string;
}

/** Answers a request under /files. */
export function handleFileRoute(services: Services, log: Logger, req: IncomingMessage, res: ServerResponse, clientKey: string): void {
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendError(res, { status: 405, error: "method_not_allowed", message: "Download links answer GET (and HEAD) only." }, { allow: "GET, HEAD" });
    return;
  }
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  const opaque = path.startsWith(PREFIX) ? path.slice(PREFIX.length) : "";
  serve({ services, log, req, res, clientKey }, opaque).catch((error: unknown) => {
    logFailure(log, error, { route: ROUTE }, "download link failed");
    if (!res.headersSent) sendError(res, failureAnswer(error));
    else res.destroy();
  });
}

async function serve(r: RouteRequest, opaque: string): Promise<void> {
  const { services, res } = r;
  const link = await services.downloadLinks.open(opaque);
  if (isRefusal(link)) {
    sendError(res, link);
    return;
  }
  const access = await accessFor(services.auth, link.binding, r.log);
  if (isRefusal(access)) {
    sendError(res, access);
    return;
  }
  if (r.req.method === "HEAD") {
    // Headers only, without asking DigiLocker: its type and length are known once the file is asked for.
    setFileHeaders(res, link, null);
    res.end();
    return;
  }
  if (access.kind === "bearer") {
    // A bearer link reaches DigiLocker without a live session: the budget such GraphQL requests are charged to.
    const decision = await services.limiter.consume("client", r.clientKey, 1);
    if (!decision.allowed) {
      const seconds = String(decision.retryAfterSeconds);
      const message = `Too many downloads from this address without a session: the limit is ${decision.limit} per window. Try again in ${seconds} s.`;
      sendError(res, { status: 429, error: "rate_limited", message }, { "retry-after": seconds });
      return;
    }
  }
  await download(r, link, access);
}

async function download(r: RouteRequest, link: OpenedLink, access: LinkAccess): Promise<void> {
  // Through the client the token was issued to (docs/tenants.md): DigiLocker signs the file with that client's secret.
  const held = await r.services.tenants.clients.clientFor(access.tenant?.partnerId ?? null);
  try {
    // The partner has set another client id since: a new link (with a token of its new client) is needed.
    if (!sameTenant(access.tenant, held.identity)) {
      sendError(r.res, refusal(access.kind === "session" ? "session_ended" : "link_expired"));
      return;
    }
    await downloadWith(r, held.client.files, link, access);
  } finally {
    held.release();
  }
}

async function downloadWith(r: RouteRequest, files: DigiLockerClient["files"], link: OpenedLink, access: LinkAccess): Promise<void> {
  const { res, log } = r;
  const fields = { route: ROUTE, format: link.format, binding: access.kind };
  // The caller leaving before DigiLocker answers aborts the call; after, the relay releases the body.
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.once("close", onClose);
  try {
    let file: FileDownload;
    try {
      const options = { signal: abort.signal };
      file = await (link.format === "XML" ? files.downloadXml(access.token, link.uri, options) : files.download(access.token, link.uri, options));
    } catch (error) {
      if (abort.signal.aborted) {
        log.debug(fields, "download abandoned by the client before DigiLocker answered");
        return;
      }
      await answerFailure(r, access, error, fields);
      return;
    }
    setFileHeaders(res, link, file);
    try {
      if ((await relayHoldingBack(file.body, res)) === "client_gone") log.debug(fields, "download abandoned by the client");
    } catch (error) {
      if (res.headersSent) {
        // Bytes are out: the one honest answer left is a cut connection, short of its Content-Length (or without
        // the final chunk), which every HTTP client reports as an error rather than a complete file.
        res.destroy();
        logFailure(log, error, { ...fields, cut: true }, "download cut: the file failed after its first bytes were sent");
        return;
      }
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      await answerFailure(r, access, error, fields);
    }
  } finally {
    res.off("close", onClose);
  }
}

/** Before any byte of the file was sent: DigiLocker refusing the token ends the session (or the bearer link). */
async function answerFailure(r: RouteRequest, access: LinkAccess, error: unknown, fields: Record<string, unknown>): Promise<void> {
  logFailure(r.log, error, fields, "download failed");
  if (error instanceof InvalidTokenError) {
    if (access.kind === "session") {
      await r.services.auth.sessions.endRefused(access.sessionId, access.token, r.log);
      sendError(r.res, refusal("session_ended"));
    } else {
      sendError(r.res, refusal("token_revoked"));
    }
    return;
  }
  sendError(r.res, failureAnswer(error));
}

function setFileHeaders(res: ServerResponse, link: OpenedLink, file: FileDownload | null): void {
  res.statusCode = 200;
  for (const [name, value] of Object.entries(FILE_HEADERS)) res.setHeader(name, value);
  const type = servedContentType(file?.contentType ?? null, link.mimeType);
  res.setHeader("content-type", type);
  // CSP (sandbox, frame-ancestors), nosniff, Referrer-Policy, X-Frame-Options: by type and disposition.
  for (const [name, value] of Object.entries(fileHeaders(type, link.disposition))) res.setHeader(name, value);
  if (file !== null && file.contentLength !== null) res.setHeader("content-length", String(file.contentLength));
  res.setHeader("content-disposition", contentDisposition(link.disposition, link.fileName));
}

function sendError(res: ServerResponse, answer: FileRouteError, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: answer.error, message: answer.message });
  res.writeHead(answer.status, { ...ERROR_HEADERS, ...headers, "content-length": String(Buffer.byteLength(body)) }).end(body);
}
