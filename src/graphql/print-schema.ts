// `npm run schema`: writes schema/schema.graphql from the code, sorted so diffs stay stable.
// CI runs it and fails when the committed file differs (.ci/run); so does test/unit/graphql/schema.test.ts.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { printedSchema } from "./schema.js";

const schemaFile = fileURLToPath(new URL("../../schema/schema.graphql", import.meta.url));
await writeFile(schemaFile, printedSchema());
console.log(`wrote ${schemaFile}`);
