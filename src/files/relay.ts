// Stream and abort (docs/downloads.md, "Integrity"): a file from DigiLocker is passed on as it arrives, but the
// last chunk is held back until DigiLocker's body has ended cleanly, which is when its `hmac` has been checked
// (src/digilocker/verified-body.ts errors at the end). A file that fails its check therefore never reaches the
// caller whole: its last bytes are never sent, and once anything was sent the connection is cut.
import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";

export type RelayOutcome =
  /** Every byte was handed to the socket after the body ended cleanly. */
  | "complete"
  /** The caller closed the connection first; the body was destroyed, releasing DigiLocker's connection. */
  | "client_gone";

/** Resolves when `res` can take more, or has closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/**
 * Copies `body` to `res`, one chunk behind, honouring backpressure: the body is read no faster than the caller
 * takes it, so memory holds a chunk or two per download whatever the file's size. Headers set on `res`
 * beforehand go out with the first chunk released, so a failure before then (a file of one chunk, the usual PDF)
 * can still be answered with a status of its own. Rejects with the body's error; the caller then cuts the
 * connection if headers were sent (`res.headersSent`), and answers an error otherwise.
 */
export async function relayHoldingBack(body: Readable, res: ServerResponse): Promise<RelayOutcome> {
  // An object, not a `let`: the close listener sets it while the loop below awaits.
  const client = { gone: false };
  const onClose = () => {
    if (res.writableFinished) return;
    client.gone = true;
    body.destroy();
  };
  res.once("close", onClose);
  try {
    let held: Buffer | null = null;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (held !== null && !res.write(held)) await drained(res);
      if (client.gone) return "client_gone";
      held = chunk;
    }
    if (client.gone) return "client_gone";
    if (held === null) res.end();
    else res.end(held);
    return "complete";
  } catch (error) {
    if (client.gone) return "client_gone";
    throw error;
  } finally {
    res.off("close", onClose);
  }
}
