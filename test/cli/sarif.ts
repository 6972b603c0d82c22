// The SARIF 2.1.0 schema shipped in @microsoft/jest-sarif as an Ajv validator (the same set-up as check.test.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";

export function sarifValidator(root: string) {
  const schema = JSON.parse(
    readFileSync(
      join(root, "node_modules", "@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json"),
      "utf8",
    ),
  ) as Record<string, unknown>;
  // Draft-04 schema: rename its root id, drop the meta-schema reference, compile patterns without the u flag.
  assert.match(String(schema.$schema), /draft-04/);
  const { $schema: _drop, id, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  const plugin = ((addFormats as unknown as { default?: unknown }).default ?? addFormats) as (a: Ajv) => Ajv;
  plugin(ajv);
  return ajv.compile<any>({ $id: id, ...rest } as object); // eslint-disable-line @typescript-eslint/no-explicit-any
}
