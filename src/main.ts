// Entry point of `npm start`. Until the gateway lands (issue #4) it checks the configured DigiLocker
// credentials end to end: one signed meta call (Get Statistics) proves id, secret, ts and hash are right.
import { ConfigError, loadConfig } from "./config.js";
import { DigiLockerClient, DigiLockerError } from "./digilocker/index.js";

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const { credentials, ...dl } = config.digilocker;
  if (credentials === null) {
    console.error(
      "No DigiLocker credentials configured. Set DIGILOCKER_CLIENT_ID and DIGILOCKER_CLIENT_SECRET (see README.md);\n" +
        "the bundled sandbox that runs without them arrives with the next foundation step.",
    );
    return 2;
  }
  const client = new DigiLockerClient({
    baseUrl: dl.baseUrl,
    ...credentials,
    tokenAuth: dl.tokenAuth,
    metaEncoding: dl.metaEncoding,
    timestamp: dl.timestamp,
    fileHmac: dl.fileHmac,
    ...(dl.requestTimeoutMs === undefined ? {} : { timeouts: { requestMs: dl.requestTimeoutMs } }),
    ...(dl.maxRetries === undefined ? {} : { retry: { maxRetries: dl.maxRetries } }),
  });
  try {
    const stats = await client.meta.statistics();
    const issuers = await client.meta.issuers();
    console.log(`DigiLocker at ${dl.baseUrl} accepted client ${credentials.clientId}.`);
    console.log(`  users ${stats.users}, authentic documents ${stats.authenticDocuments} (as on ${stats.countAsOn ?? "?"})`);
    console.log(`  ${issuers.length} issuers in the catalogue`);
    return 0;
  } finally {
    await client.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Config and client errors carry safe, actionable messages; anything else is a bug: show its stack.
    console.error(error instanceof ConfigError || error instanceof DigiLockerError ? error.message : error);
    process.exitCode = 1;
  },
);
