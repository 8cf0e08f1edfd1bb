// `npm start`: the gateway. With no DIGILOCKER_CLIENT_ID it starts the bundled sandbox in-process and
// points the client at it, so a newcomer needs no credentials and no network.
import { ConfigError, loadConfig } from "./config.js";
import { startGateway } from "./server/gateway.js";
import { describeModes } from "./server/modes.js";

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const gateway = await startGateway(config);
  const graphiql = `${gateway.publicUrl}/graphql`;
  if (gateway.sandbox) {
    const { sandbox } = gateway;
    console.log(`No DIGILOCKER_CLIENT_ID configured: using the bundled DigiLocker sandbox at ${sandbox.origin}`);
    if (config.gateway.graphiql) console.log(`  1. Open GraphiQL at ${graphiql}`);
    console.log(`  2. Press "Sign in" at its top (${gateway.publicUrl}/auth/sign-in), allow on the sandbox's consent page, and run the query`);
    console.log(`  Server callers: a bearer token for a test user from ${sandbox.origin}/sandbox/token`);
  } else {
    console.log(`DigiLocker at ${config.digilocker.baseUrl}`);
    if (config.gateway.graphiql) console.log(`GraphiQL at ${graphiql}`);
  }
  const modes = describeModes(config.gateway);
  for (const line of modes) console.log(line);
  const { persistedOnly, introspection, graphiql: graphiqlOn } = config.gateway;
  gateway.logger.info({ persistedOnly, introspection, graphiql: graphiqlOn }, "production mode settings");
  if (config.gateway.production) {
    console.log("NODE_ENV=production: partner operations need an API key in X-API-Key (docs/partners.md)");
  } else if (!(await gateway.services.partners.anyRegistered())) {
    // Loud on purpose: anyone who reaches this gateway may create consent requests and read what users share.
    console.warn(
      [
        "!! DEVELOPMENT MODE: no partner is registered, so partner operations (consent requests, catalogue, pulls,",
        "!! account checks) answer WITHOUT an API key, and each such answer says so in its `extensions`.",
        "!! Register a partner (npm run partner -- create --name … --scopes …) or set NODE_ENV=production to require keys.",
      ].join("\n"),
    );
  } else {
    console.log("Partners are registered: partner operations need an API key in X-API-Key (docs/partners.md)");
  }
  console.log(`  health ${gateway.url}/health, readiness ${gateway.url}/ready, metrics ${gateway.url}/metrics`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.logger.info({ signal }, "draining and stopping");
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => { stop("SIGTERM"); });
  process.once("SIGINT", () => { stop("SIGINT"); });
}

main().catch((error: unknown) => {
  // A bad configuration lists every problem; anything else is a bug, shown with its stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
});
