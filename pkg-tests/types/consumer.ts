// A TypeScript consumer of the package that uses every field of the result and of the inputs,
// type-checked under `strict` by types.test.mjs (tsc --noEmit). The `@ts-expect-error` lines
// must fail to type-check: they prove the types are not `any`.
import init, {
  generate,
  validate,
  inputSchema,
  version,
  init as namedInit,
  type Inputs,
  type Options,
  type Generated,
  type Diagnostic,
  type Policy,
  type PolicyDocument,
  type Role,
  type Output,
  type ModuleFiles,
  type GenerateError,
} from "iam-metaflow";

type IsAny<T> = 0 extends 1 & T ? true : false;
const notAny = <T>(_: IsAny<T> extends false ? true : never): void => {};

notAny<Parameters<typeof generate>[0]>(true);
notAny<Parameters<typeof generate>[1]>(true);
notAny<ReturnType<typeof generate>>(true);
notAny<ReturnType<typeof validate>>(true);
notAny<Role>(true);
notAny<PolicyDocument>(true);

async function main(): Promise<void> {
  await init();
  await namedInit();

  const inputs: Inputs = {
    name_prefix: "metaflow-prod",
    tags: { Environment: "production" },
    enable_spot_fleet_role: true,
    additional_job_policy_arns: ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"],
    custom_job_policy_statements: {
      secrets_access: {
        sid: "AllowSecretsManagerAccess",
        effect: "Allow",
        actions: ["secretsmanager:GetSecretValue"],
        not_actions: null,
        resources: ["arn:aws:secretsmanager:*:*:secret:metaflow/*"],
        not_resources: null,
        principals: [{ type: "AWS", identifiers: ["*"] }],
        not_principals: null,
        condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["us-east-1"] }],
      },
    },
  };
  const options: Options = { account_id: "123456789012", partition: "aws-cn", module_name: "iam" };
  const minimal: Inputs = { name_prefix: "p", custom_job_policy_statements: null };

  const result: Generated = generate(inputs, options);
  generate(minimal);

  for (const role of result.roles) {
    const key: "batch_job" | "batch_service" | "batch_instance" | "spot_fleet" = role.key;
    const name: string = role.name;
    const path: string = role.path;
    const arn: string | null = role.arn;
    const address: string = role.address;
    const trust: Policy = role.assume_role_policy;
    const text: string = trust.json + trust.minified_json;
    const doc: PolicyDocument = trust.document;
    const version: string = doc.Version;
    for (const s of doc.Statement ?? []) {
      const effect: string = s.Effect;
      const sid: string | undefined = s.Sid;
      const actions: string | string[] | undefined = s.Action ?? s.NotAction;
      const resources: string | string[] | undefined = s.Resource ?? s.NotResource;
      const principal = s.Principal ?? s.NotPrincipal;
      const principalText: string = principal === undefined ? "" : principal === "*" ? "*" : JSON.stringify(principal.Service);
      const condition: Record<string, Record<string, string | string[]>> | undefined = s.Condition;
      console.log(effect, sid, actions, resources, principalText, condition);
    }
    for (const attachment of role.managed_policy_arns) {
      const k: string = attachment.key;
      const a: string = attachment.arn;
      const at: string = attachment.address;
      console.log(k, a, at);
    }
    if (role.inline_policy !== null) {
      const n: string = role.inline_policy.name;
      const at: string = role.inline_policy.address;
      const j: string = role.inline_policy.json + role.inline_policy.minified_json;
      const d: PolicyDocument = role.inline_policy.document;
      console.log(n, at, j, d);
    }
    const tags: Record<string, string> = role.tags;
    const tagValue: string | undefined = tags["Environment"];
    if (role.instance_profile !== null) {
      const p = role.instance_profile;
      const pn: string = p.name;
      const pa: string | null = p.arn;
      const pad: string = p.address;
      console.log(pn, pa, pad);
    }
    console.log(key, name, path, arn, address, text, version, tagValue);
  }

  for (const [name, output] of Object.entries(result.outputs)) {
    const o: Output = output;
    const value: string | null = o.value;
    const type: string = o.type;
    const sensitive: boolean = o.sensitive;
    const description: string = o.description;
    const known: boolean = o.known_after_apply;
    console.log(name, value, type, sensitive, description, known);
  }

  const hcl: string = result.hcl.module_call + result.hcl.resources + result.hcl.integrations;
  const module: ModuleFiles = result.hcl.module;
  const files: string[] = [module["README.md"], module["main.tf"], module["outputs.tf"], module["variables.tf"], module["versions.tf"]];
  const byName: [string, string][] = Object.entries(module);
  console.log(hcl, files, byName);

  const show = (d: Diagnostic): string => {
    const severity: "error" | "warning" | "info" = d.severity;
    const help: string | undefined = d.help;
    return `${severity} [${d.code}] ${d.path} ${d.pointer}: ${d.message} ${help ?? ""}`;
  };
  result.diagnostics.forEach(show);
  validate(inputs).forEach(show);
  validate(minimal, options).forEach(show);

  try {
    generate({ name_prefix: "" });
  } catch (e) {
    const error = e as GenerateError;
    const message: string = error.message;
    error.diagnostics.forEach(show);
    console.log(message);
  }

  const schema: Record<string, unknown> = inputSchema();
  const v: string = version();
  console.log(schema, v);

  // @ts-expect-error name_prefix is required
  generate({ tags: {} });
  // @ts-expect-error an unknown variable
  generate({ name_prefix: "p", tag: {} });
  // @ts-expect-error tags are strings
  generate({ name_prefix: "p", tags: { a: [] } });
  // @ts-expect-error partition is one of three
  generate(minimal, { partition: "aws-mars" });
  // @ts-expect-error an unknown statement attribute
  generate({ name_prefix: "p", custom_job_policy_statements: { s: { conditions: [] } } });
  // @ts-expect-error roles is an array of Role
  const wrong: number = result.roles[0].name;
  console.log(wrong);
}

void main();
