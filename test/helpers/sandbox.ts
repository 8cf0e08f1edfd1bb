// A sandbox on a free port with a client pointed at it: what every integration test starts from.
import { DigiLockerClient, type ClientSettingsInput } from "../../src/digilocker/index.js";
import { startSandbox, type Sandbox, type SandboxDeps } from "../../src/sandbox/server.js";
import type { SandboxSettingsInput } from "../../src/sandbox/settings.js";

export interface TestSandbox {
  sandbox: Sandbox;
  client: DigiLockerClient;
  close(): Promise<void>;
}

/**
 * Starts a sandbox on 127.0.0.1:0 and a client with its credentials. Retries are off by default so a
 * test sees exactly the sandbox's answer; pass `client: { retry: … }` to test them.
 */
export async function startTestSandbox(
  options: { sandbox?: SandboxSettingsInput; deps?: SandboxDeps; client?: Partial<ClientSettingsInput> } = {},
): Promise<TestSandbox> {
  const sandbox = await startSandbox({ port: 0, ...options.sandbox }, options.deps);
  const client = new DigiLockerClient({
    baseUrl: sandbox.baseUrl,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    retry: { maxRetries: 0 },
    ...options.client,
  });
  return {
    sandbox,
    client,
    async close() {
      await client.close();
      await sandbox.close();
    },
  };
}
