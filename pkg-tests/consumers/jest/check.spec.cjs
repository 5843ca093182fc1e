// Jest runs CommonJS: `require("iam-metaflow")` with no init call.
const { generate, init } = require("iam-metaflow");

test("generate gives the job role's name", () => {
  expect(generate({ name_prefix: "jest" }).roles[0].name).toBe("jest-batch-job-role");
});

test("init resolves to the instance's exports", async () => {
  expect((await init()).memory).toBeInstanceOf(WebAssembly.Memory);
});
