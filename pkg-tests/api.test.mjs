// The JS API (SPEC §7) against both builds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builds, fixture } from "./builds.mjs";

for (const [build, pkg] of await builds()) {
  test(`${build}: the seed's basic example gives the three default roles`, () => {
    const result = pkg.generate(fixture("basic.tfvars.json"));
    assert.deepEqual(
      result.roles.map((r) => r.name),
      ["metaflow-prod-batch-job-role", "metaflow-prod-batch-service-role", "metaflow-prod-batch-instance-role"],
    );
  });
}
