import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PGlitePool, PGliteSession } from "../../../src/db/pglite-pool.js";

interface Scratch {
  items: { id: number; label: string };
}

// PGlite.create runs initdb: seconds, once for the file.
const START_MS = 60_000;

describe("PGlitePool", () => {
  let pglite: PGlite;
  let session: PGliteSession;
  let db: Kysely<Scratch>;

  beforeAll(async () => {
    pglite = await PGlite.create();
    session = new PGliteSession(pglite);
    await pglite.exec("create schema a; create schema b; create table items (id int primary key, label text not null)");
    db = new Kysely<Scratch>({ dialect: new PostgresDialect({ pool: new PGlitePool(session) }) });
  }, START_MS);

  afterAll(async () => {
    await pglite.close();
  });

  beforeEach(async () => {
    await pglite.exec("truncate items");
  });

  it("runs two concurrent transactions one after the other, never interleaved", async () => {
    const events: string[] = [];
    let entered!: () => void;
    const aInside = new Promise<void>((resolve) => (entered = resolve));
    let letAFinish!: () => void;
    const aMayFinish = new Promise<void>((resolve) => (letAFinish = resolve));
    const a = db.transaction().execute(async (trx) => {
      events.push("a: begin");
      await trx.insertInto("items").values({ id: 1, label: "a" }).execute();
      entered();
      await aMayFinish;
      events.push("a: commit");
    });
    await aInside;
    const b = db.transaction().execute(async (trx) => {
      events.push("b: begin");
      // A committed before B began: B sees its row.
      const rows = await trx.selectFrom("items").select("label").execute();
      events.push(`b: sees ${rows.map((r) => r.label).join()}`);
      await trx.insertInto("items").values({ id: 2, label: "b" }).execute();
    });
    const outside = db.selectFrom("items").select("id").execute();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(["a: begin"]);
    letAFinish();
    await Promise.all([a, b, outside]);
    expect(events).toEqual(["a: begin", "a: commit", "b: begin", "b: sees a"]);
  });

  it("leaves nothing of a rolled-back transaction", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("items").values({ id: 1, label: "gone" }).execute();
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await db.selectFrom("items").selectAll().execute()).toEqual([]);
    // The session is usable afterwards, outside any transaction.
    await db.insertInto("items").values({ id: 2, label: "kept" }).execute();
    expect(await db.selectFrom("items").select("label").execute()).toEqual([{ label: "kept" }]);
  });

  it("reports a commit in a failed transaction as Kysely expects (ROLLBACK), and recovers", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("items").values({ id: 1, label: "x" }).execute();
        await trx.insertInto("items").values({ id: 1, label: "duplicate" }).execute().catch(() => undefined);
      }),
    ).rejects.toThrow();
    expect(await db.selectFrom("items").selectAll().execute()).toEqual([]);
  });

  it("maps results: affected rows of writes, rows of reads", async () => {
    const inserted = await db.insertInto("items").values([{ id: 1, label: "x" }, { id: 2, label: "y" }, { id: 3, label: "z" }]).executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(3n);
    const updated = await db.updateTable("items").set({ label: "w" }).where("id", ">", 1).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    const deleted = await db.deleteFrom("items").where("id", "=", 3).executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(1n);
    expect(await db.selectFrom("items").select(["id", "label"]).orderBy("id").execute()).toEqual([
      { id: 1, label: "x" },
      { id: 2, label: "w" },
    ]);
  });

  it("runs several statements without parameters as one, counting the last one's rows", async () => {
    const result = await sql.raw("insert into items values (1, 'x'), (2, 'y'); update items set label = 'z' where id = 1").execute(db);
    expect(result.numAffectedRows).toBe(1n);
    expect(await db.selectFrom("items").select("label").orderBy("id").execute()).toEqual([{ label: "z" }, { label: "y" }]);
  });

  it("hands the session out first come, first served", async () => {
    const pool = new PGlitePool(session);
    const first = await pool.connect();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) =>
      pool.connect().then((client) => {
        order.push(n);
        client.release();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    first.release();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });

  it("gives each pool over a shared session its own search_path", async () => {
    const inA = new Kysely<Scratch>({ dialect: new PostgresDialect({ pool: new PGlitePool(session, { searchPath: "a" }) }) });
    const inB = new Kysely<Scratch>({ dialect: new PostgresDialect({ pool: new PGlitePool(session, { searchPath: "b" }) }) });
    await sql`create table items (id int primary key, label text not null)`.execute(inA);
    await sql`create table items (id int primary key, label text not null)`.execute(inB);
    await Promise.all([
      inA.insertInto("items").values({ id: 1, label: "in a" }).execute(),
      inB.insertInto("items").values({ id: 1, label: "in b" }).execute(),
    ]);
    expect(await inA.selectFrom("items").select("label").execute()).toEqual([{ label: "in a" }]);
    expect(await inB.selectFrom("items").select("label").execute()).toEqual([{ label: "in b" }]);
    // Ending a pool over a shared session leaves the session open for the others.
    await inA.destroy();
    expect(await inB.selectFrom("items").select("label").execute()).toEqual([{ label: "in b" }]);
    await inB.destroy();
    expect(pglite.closed).toBe(false);
  });

  it("closes a PGlite of its own when it ends, and refuses connections after", async () => {
    const own = await PGlite.create();
    const pool = new PGlitePool(own);
    const client = await pool.connect();
    const ending = pool.end();
    await expect(pool.connect()).rejects.toThrow("the PGlite pool has ended");
    // end() waits for the holder.
    expect(own.closed).toBe(false);
    client.release();
    await ending;
    expect(own.closed).toBe(true);
  }, START_MS);
});
