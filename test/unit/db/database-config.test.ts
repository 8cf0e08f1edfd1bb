import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config.js";

describe("the database settings", () => {
  it("default to the embedded database in ./data", () => {
    expect(loadConfig({}).database).toEqual({ url: null, dataDir: "./data", poolSize: 10 });
  });

  it("read DATABASE_URL, DATA_DIR and DATABASE_POOL_SIZE", () => {
    const url = "postgresql://gateway:pw@db.internal:5432/digilocker_graphql";
    expect(loadConfig({ DATABASE_URL: url, DATA_DIR: "/var/lib/dlg", DATABASE_POOL_SIZE: "25" }).database).toEqual({
      url,
      dataDir: "/var/lib/dlg",
      poolSize: 25,
    });
  });

  it("keep the embedded database in memory with DATA_DIR=memory", () => {
    expect(loadConfig({ DATA_DIR: "memory" }).database.dataDir).toBeNull();
  });

  it.each([
    ["DATABASE_URL", "mysql://root:hunter2@127.0.0.1/db"],
    ["DATABASE_URL", "127.0.0.1:5432"],
    ["DATABASE_POOL_SIZE", "0"],
    ["DATABASE_POOL_SIZE", "101"],
    ["DATABASE_POOL_SIZE", "ten"],
  ])("refuses %s=%j, naming the variable and never echoing the value", (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(new RegExp(`^${name}: `))]);
    expect((error as ConfigError).message).not.toContain("hunter2");
  });
});
