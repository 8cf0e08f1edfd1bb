// Entry point of `npm start`. Until the gateway lands (issue #4) it checks DigiLocker credentials end to
// end: one signed meta call (Get Statistics) proves id, secret, ts and hash are right. With no credentials
// configured it starts the bundled sandbox in-process, as the gateway will, checks against it and keeps
// serving it for a person to click through.
import { ConfigError, loadConfig, type Config } from "./config.js";
import { DigiLockerClient, DigiLockerError } from "./digilocker/index.js";
import { startSandbox } from "./sandbox/server.js";

async function checkCredentials(dl: Config["digilocker"], clientId: string, clientSecret: string): Promise<void> {
  const client = new DigiLockerClient({
    baseUrl: dl.baseUrl,
    clientId,
    clientSecret,
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
    console.log(`DigiLocker at ${dl.baseUrl} accepted client ${clientId}.`);
    console.log(`  users ${stats.users}, authentic documents ${stats.authenticDocuments} (as on ${stats.countAsOn ?? "?"})`);
    console.log(`  ${issuers.length} issuers in the catalogue`);
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { credentials } = config.digilocker;
  if (credentials !== null) {
    await checkCredentials(config.digilocker, credentials.clientId, credentials.clientSecret);
    return;
  }
  const sandbox = await startSandbox(config.sandbox);
  console.log(`No DIGILOCKER_CLIENT_ID configured: the bundled DigiLocker sandbox runs at ${sandbox.origin}`);
  await checkCredentials({ ...config.digilocker, baseUrl: sandbox.baseUrl }, sandbox.clientId, sandbox.clientSecret);
  console.log(`  sign in as a test user and get an access token: ${sandbox.origin}/sandbox/token`);
  console.log("  Ctrl-C stops it.");
  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  // Config and client errors carry safe, actionable messages; anything else is a bug: show its stack.
  console.error(error instanceof ConfigError || error instanceof DigiLockerError ? error.message : error);
  process.exitCode = 1;
});
