// Placeholder until the user types land.
import { builder } from "../builder.js";

builder.queryField("placeholder", (t) => t.boolean({ resolve: () => true }));
