// `npm run sandbox`: the bundled DigiLocker on its own, for a person to click through or a client to call.
import { ConfigError, loadConfig } from "../config.js";
import { startSandbox } from "./server.js";

async function main(): Promise<void> {
  const sandbox = await startSandbox(loadConfig(process.env).sandbox);
  console.log(`DigiLocker sandbox listening on ${sandbox.origin}`);
  console.log(`  base URL (DIGILOCKER_BASE_URL): ${sandbox.baseUrl}`);
  console.log(`  client id: ${sandbox.clientId}   client secret: see SANDBOX_CLIENT_SECRET (README)`);
  console.log(`  get an access token for a test user: ${sandbox.origin}/sandbox/token`);
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
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
});
