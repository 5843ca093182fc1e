// inputSchema() is a JSON Schema 2020-12 that ajv compiles in strict mode; it accepts the
// seed's examples and rejects invalid inputs, and it agrees with validate() on structure.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020.js";
import { builds, fixture } from "./builds.mjs";

const STRUCTURAL = new Set(["input_not_object", "missing_required", "type_mismatch", "unknown_key"]);

const invalid = {
  "missing name_prefix": { tags: {} },
  "empty name_prefix": { name_prefix: "" },
  "name_prefix with a space": { name_prefix: "metaflow prod" },
  "name_prefix too long for the instance role": { name_prefix: "x".repeat(45) },
  "unknown variable": { name_prefix: "p", tag: {} },
  "tags as a list": { name_prefix: "p", tags: ["a"] },
  "tag value a list": { name_prefix: "p", tags: { a: ["b"] } },
  "tag key aws:": { name_prefix: "p", tags: { "aws:x": "y" } },
  "51 tags": { name_prefix: "p", tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) },
  "enable_spot_fleet_role a string": { name_prefix: "p", enable_spot_fleet_role: "yes" },
  "policy ARN malformed": { name_prefix: "p", additional_job_policy_arns: ["AmazonS3FullAccess"] },
  "policy ARN twice": {
    name_prefix: "p",
    additional_job_policy_arns: ["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/A"],
  },
  "statements as a list": { name_prefix: "p", custom_job_policy_statements: [] },
  "unknown statement attribute": {
    name_prefix: "p",
    custom_job_policy_statements: { s: { actions: ["s3:*"], resources: ["*"], conditions: [] } },
  },
  "effect lower case": { name_prefix: "p", custom_job_policy_statements: { s: { effect: "allow" } } },
  "sid with a dash": { name_prefix: "p", custom_job_policy_statements: { s: { sid: "a-b" } } },
  "principal without identifiers": {
    name_prefix: "p",
    custom_job_policy_statements: { s: { principals: [{ type: "AWS" }] } },
  },
  "condition with an extra key": {
    name_prefix: "p",
    custom_job_policy_statements: { s: { condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["true"], x: 1 }] } },
  },
};

const valid = {
  "basic example": fixture("basic.tfvars.json"),
  "advanced example": fixture("advanced.tfvars.json"),
  "nulls for every defaulted variable": {
    name_prefix: "p",
    tags: null,
    enable_spot_fleet_role: null,
    additional_job_policy_arns: null,
    custom_job_policy_statements: null,
  },
  "every statement attribute": {
    name_prefix: "metaflow-dev",
    tags: { "Cost Center": "rd:1/2=3+4-5@6" },
    custom_job_policy_statements: {
      s: {
        sid: null,
        effect: null,
        actions: ["s3:GetObject"],
        not_actions: null,
        resources: ["*"],
        not_resources: null,
        principals: null,
        not_principals: null,
        condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["eu-west-1"] }],
      },
    },
  },
};

for (const [build, pkg] of await builds()) {
  describe(`${build} build: inputSchema()`, () => {
    const schema = pkg.inputSchema();
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    const check = ajv.compile(schema);

    test("is a 2020-12 schema that ajv compiles in strict mode", () => {
      assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
      assert.deepEqual(schema.required, ["name_prefix"]);
      assert.equal(schema.additionalProperties, false);
    });

    for (const [name, inputs] of Object.entries(valid)) {
      test(`accepts: ${name}`, () => {
        assert.ok(check(inputs), JSON.stringify(check.errors));
        assert.ok(pkg.validate(inputs).every((d) => d.severity !== "error"), JSON.stringify(pkg.validate(inputs)));
      });
    }

    for (const [name, inputs] of Object.entries(invalid)) {
      test(`rejects: ${name}`, () => {
        assert.equal(check(inputs), false);
      });
    }

    test("where validate finds a structural error, the schema rejects too", () => {
      for (const inputs of Object.values(invalid)) {
        const structural = pkg.validate(inputs).some((d) => STRUCTURAL.has(d.code));
        if (structural) assert.equal(check(inputs), false, JSON.stringify(inputs));
      }
    });
  });
}
