// The form's editors: one builder per variable (its section), and the small editors they are
// made of — lists of strings, tag rows, statements and their conditions. Builders only build;
// form.js decides when a section is built again and reads the values back.
//
// The facts here are suggestions only (datalists): the condition operators come from the
// package; managed policies, actions and condition keys are common examples, not a rule.
import { h, uid, isPlainObject } from "./dom.js";

/** Suggestions for additional_job_policy_arns: common AWS managed policies (path/name). */
const MANAGED_POLICIES = [
  "AmazonSageMakerFullAccess",
  "AmazonS3ReadOnlyAccess",
  "AmazonDynamoDBFullAccess",
  "AmazonDynamoDBReadOnlyAccess",
  "AmazonAthenaFullAccess",
  "AWSGlueConsoleFullAccess",
  "service-role/AWSGlueServiceRole",
  "SecretsManagerReadWrite",
  "AmazonSSMReadOnlyAccess",
  "AmazonRDSReadOnlyAccess",
  "AmazonRedshiftReadOnlyAccess",
  "AmazonKinesisReadOnlyAccess",
  "AmazonSQSFullAccess",
  "AmazonSNSFullAccess",
  "AmazonBedrockFullAccess",
  "AmazonElasticFileSystemClientReadWriteAccess",
  "CloudWatchAgentServerPolicy",
  "AWSXrayWriteOnlyAccess",
  "ReadOnlyAccess",
];

/** Suggestions for actions. */
const ACTIONS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:ListBucket",
  "s3:DeleteObject",
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "kms:Decrypt",
  "kms:GenerateDataKey",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "sagemaker:InvokeEndpoint",
  "logs:CreateLogStream",
  "logs:PutLogEvents",
  "ecr:GetAuthorizationToken",
];

/** Suggestions for condition keys. */
const CONDITION_KEYS = [
  "aws:SecureTransport", "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:RequestedRegion",
  "aws:PrincipalTag/", "aws:ResourceTag/", "aws:PrincipalOrgID", "s3:prefix", "kms:ViaService",
];

/** The statement attributes the form edits; any other key is kept and shown as raw JSON. */
export const STATEMENT_LISTS = ["actions", "not_actions", "resources", "not_resources"];
const STATEMENT_FORM_KEYS = ["sid", "effect", ...STATEMENT_LISTS, "condition"];

/** The variables the form has a section for, in the order it shows them. */
export const SECTIONS = [
  "name_prefix",
  "enable_spot_fleet_role",
  "additional_job_policy_arns",
  "custom_job_policy_statements",
  "tags",
];

/** Extra data attached to editors: list settings, and attributes the form does not edit,
 *  kept as they are. */
export const kept = new WeakMap();

/** The datalists the editors suggest from; `operators` are the package's condition
 *  operators. */
export function suggestionLists(operators) {
  const datalist = (id, values) => h("datalist", { id }, values.map((v) => h("option", { value: v })));
  return [
    datalist("dl-managed", []),
    datalist("dl-actions", ACTIONS),
    datalist("dl-operators", operators),
    datalist("dl-condition-keys", CONDITION_KEYS),
  ];
}

/** Points the managed policy suggestions at `partition`. */
export function suggestManagedPolicies(partition) {
  document.getElementById("dl-managed")?.replaceChildren(
    ...MANAGED_POLICIES.map((p) => h("option", { value: `arn:${partition}:iam::aws:policy/${p}` })),
  );
}

/** The section for variable `name` showing `value` (undefined when the inputs lack it). */
export function buildSection(name, value) {
  switch (name) {
    case "name_prefix":
      return namePrefixSection(value);
    case "enable_spot_fleet_role":
      return spotSection(value);
    case "additional_job_policy_arns":
      return arnsSection(value);
    case "custom_job_policy_statements":
      return statementsEditor(value);
    case "tags":
      return tagsEditor(value);
    default:
      throw new Error(`no section for ${name}`);
  }
}

/** A value shown in a text field: strings as they are, others as JSON. */
const asText = (v) => (v == null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

function namePrefixSection(value) {
  const id = uid("f");
  return h("div", { class: "field", "data-section": "name_prefix" },
    h("label", { for: id, text: "Name prefix" }),
    h("input", {
      id,
      type: "text",
      "data-seg": "name_prefix",
      "data-field": "",
      value: asText(value),
      required: true,
      autocomplete: "off",
      spellcheck: "false",
      "aria-describedby": id + "-hint",
    }),
    h("p", { class: "hint", id: id + "-hint", text: "Prefix of every IAM name, e.g. metaflow-prod. Required." }),
  );
}

function spotSection(value) {
  const id = uid("f");
  return h("div", { class: "field check", "data-section": "enable_spot_fleet_role" },
    h("input", {
      id,
      type: "checkbox",
      "data-seg": "enable_spot_fleet_role",
      "data-field": "",
      checked: value === true || value === "true",
    }),
    h("label", { for: id, text: "Create the Spot Fleet role (enable_spot_fleet_role)" }),
  );
}

function arnsSection(arns) {
  const section = h("div", { class: "section", "data-section": "additional_job_policy_arns" });
  const legend = "Additional managed policies of the job role";
  if (arns == null || isStringList(arns)) {
    section.append(
      listEditor({
        seg: "additional_job_policy_arns",
        legend,
        values: arns == null ? [] : asStrings(arns),
        suggestions: "dl-managed",
        placeholder: "arn:aws:iam::aws:policy/…",
        itemLabel: "Policy ARN",
        addLabel: "Add policy ARN",
        attribute: false,
      }),
    );
    section.querySelector("legend").after(
      h("p", { class: "hint", text: "Attached to the job role after its three defaults. Suggestions follow the partition." }),
    );
  } else {
    section.dataset.raw = "1";
    section.append(
      h("fieldset", { class: "list", "data-seg": "additional_job_policy_arns" },
        h("legend", { text: legend }),
        rawNote(null, `Holds ${describe(arns)}, not a list of strings: edit it in the JSON below.`),
      ),
    );
  }
  return section;
}

/** A note for a value the form cannot edit; focusable so diagnostics can jump to it. */
function rawNote(seg, text) {
  return h("p", { class: "kept", "data-seg": seg, "data-field": "", tabindex: "-1", text });
}

function describe(value) {
  const text = JSON.stringify(value);
  return text.length > 120 ? text.slice(0, 117) + "…" : text;
}

/** Whether a value is a list of strings (numbers and bools shown as Terraform converts them). */
const isStringList = (v) =>
  Array.isArray(v) && v.every((x) => ["string", "number", "boolean"].includes(typeof x));
const asStrings = (v) => v.map((x) => String(x));

// Lists of strings -----------------------------------------------------------------------------

/** A list of strings: one input per item, add and remove buttons. */
function listEditor({ seg, legend, values, suggestions, placeholder, itemLabel, addLabel, attribute = true }) {
  const items = h("div", { class: "items" });
  const box = h("fieldset", { class: "list", "data-seg": seg, "data-list": seg });
  const add = h("button", {
    type: "button",
    class: "add",
    "data-field": "",
    "data-action": "list-add",
    text: addLabel,
  });
  box.append(h("legend", { class: attribute ? "attr" : null, text: legend }), items, add);
  kept.set(box, { suggestions, placeholder, itemLabel });
  for (const value of values) items.append(listRow(box, value));
  renumber(box);
  return box;
}

export function listRow(box, value) {
  const { suggestions, placeholder } = kept.get(box);
  const input = h("input", {
    type: "text",
    value,
    list: suggestions,
    placeholder,
    spellcheck: "false",
    autocomplete: "off",
    "data-field": "",
  });
  const remove = h("button", { type: "button", class: "remove", "data-action": "list-remove", text: "✕" });
  return h("div", { class: "row field" }, input, remove);
}

/** Renumbers a list's rows: their pointer tokens and labels. */
export function renumber(box) {
  const { itemLabel } = kept.get(box);
  [...box.querySelector(":scope > .items").children].forEach((row, i) => {
    row.dataset.seg = String(i);
    row.querySelector("input").setAttribute("aria-label", `${itemLabel} ${i + 1}`);
    row.querySelector(".remove").setAttribute("aria-label", `Remove ${itemLabel} ${i + 1}`);
  });
}

export const readList = (box) => [...box.querySelectorAll(":scope > .items > .row > input")].map((i) => i.value);

/** Removes an editor row, relabels the rest of `box` and keeps the focus nearby: on the next
 * row's field, else the previous one's, else the box's add button. */
export function removeRow(row, box, relabel) {
  const next = row.nextElementSibling ?? row.previousElementSibling;
  row.remove();
  relabel(box);
  (next?.querySelector("input") ?? box.querySelector(":scope > .add")).focus();
}

/** Fills the map editor `box`: a row in `items` per entry of `map` (`row(key, value)`), or a
 *  note when `map` is not a map (it is edited in the JSON then); then its add button. */
function fillMap(box, items, map, { row, what, action, add }) {
  if (map == null || isPlainObject(map)) {
    for (const [key, value] of Object.entries(map ?? {})) items.append(row(key, value));
  } else {
    box.dataset.raw = "1";
    box.append(rawNote(null, `Holds ${describe(map)}, not a map of ${what}: edit it in the JSON below.`));
  }
  box.append(h("button", { type: "button", class: "add", "data-field": "", "data-action": action, text: add }));
}

// Tags -------------------------------------------------------------------------------------------

export function tagsEditor(tags) {
  const box = h("fieldset", { class: "map", "data-seg": "tags", "data-section": "tags" });
  const rows = h("div", { class: "items" });
  box.append(
    h("legend", { text: "Tags" }),
    h("p", { class: "hint", text: "Applied to every role and the instance profile." }),
    h("div", { class: "map-head", "aria-hidden": "true" }, h("span", { text: "Key" }), h("span", { text: "Value" })),
    rows,
  );
  fillMap(box, rows, tags, { row: (k, v) => tagRow(k, asText(v)), what: "strings", action: "tag-add", add: "Add tag" });
  relabelTags(box);
  return box;
}

export function tagRow(key, value) {
  return h("div", { class: "row field", "data-seg": key },
    h("input", { type: "text", class: "tag-key", value: key, "data-field": "", "data-part": "key", spellcheck: "false", autocomplete: "off" }),
    h("input", { type: "text", class: "tag-value", value, "data-field": "", spellcheck: "false", autocomplete: "off" }),
    h("button", { type: "button", class: "remove", "data-action": "tag-remove", text: "✕" }),
  );
}

export function relabelTags(box) {
  [...box.querySelectorAll(":scope > .items > .row")].forEach((row, i) => {
    row.querySelector(".tag-key").setAttribute("aria-label", `Tag ${i + 1} key`);
    row.querySelector(".tag-value").setAttribute("aria-label", `Tag ${i + 1} value`);
    row.querySelector(".remove").setAttribute("aria-label", `Remove tag ${i + 1}`);
  });
}

// Statements -----------------------------------------------------------------------------------

export function statementsEditor(statements) {
  const box = h("fieldset", {
    class: "statements",
    "data-seg": "custom_job_policy_statements",
    "data-section": "custom_job_policy_statements",
  });
  const items = h("div", { class: "items" });
  box.append(
    h("legend", { text: "Inline policy statements of the job role" }),
    h("p", { class: "hint", text: "custom_job_policy_statements: each map key becomes the statement's Sid unless sid is set." }),
    items,
  );
  fillMap(box, items, statements, { row: statementBlock, what: "statements", action: "statement-add", add: "Add statement" });
  relabelStatements(box);
  return box;
}

export function statementBlock(key, statement) {
  const st = isPlainObject(statement) ? statement : {};
  const block = h("fieldset", { class: "statement", "data-seg": key });
  const legend = h("legend", {});
  const keyId = uid("f");
  block.append(
    legend,
    h("div", { class: "field" },
      h("label", { for: keyId, text: "Map key" }),
      h("input", { id: keyId, type: "text", class: "st-key", value: key, "data-field": "", "data-part": "key", spellcheck: "false", autocomplete: "off" }),
    ),
  );
  if (!isPlainObject(statement)) {
    kept.set(block, { whole: statement });
    block.append(rawNote(null, `Holds ${describe(statement)}, not an object: edit it in the JSON below.`));
  } else {
    const extra = {};
    for (const [k, v] of Object.entries(st)) {
      const editable =
        (k === "sid" && (v == null || typeof v === "string")) ||
        (k === "effect" && (v == null || typeof v === "string")) ||
        (STATEMENT_LISTS.includes(k) && (v == null || isStringList(v))) ||
        (k === "condition" && (v == null || isConditionList(v)));
      if (!editable) extra[k] = v;
    }
    kept.set(block, { extra });
    const sidId = uid("f");
    const effectId = uid("f");
    const effect = typeof st.effect === "string" ? st.effect : "Allow";
    const effects = ["Allow", "Deny"].includes(effect) ? ["Allow", "Deny"] : ["Allow", "Deny", effect];
    block.append(
      h("div", { class: "pair" },
        h("div", { class: "field" },
          h("label", { for: sidId, text: "Sid" }),
          h("input", { id: sidId, type: "text", class: "st-sid", value: "sid" in extra ? "" : (st.sid ?? ""), "data-seg": "sid", "data-field": "", placeholder: "(the map key)", spellcheck: "false", autocomplete: "off" }),
        ),
        h("div", { class: "field" },
          h("label", { for: effectId, text: "Effect" }),
          h("select", { id: effectId, class: "st-effect", "data-seg": "effect", "data-field": "" },
            effects.map((e) => h("option", { value: e, text: e })),
          ),
        ),
      ),
    );
    block.querySelector(".st-effect").value = effect;
    const lists = h("div", { class: "lists" });
    for (const name of STATEMENT_LISTS) {
      if (name in extra) continue;
      const isAction = name.endsWith("actions");
      const label = name.replace("_", " ").replace(/s$/, "");
      lists.append(
        listEditor({
          seg: name,
          legend: name,
          values: st[name] == null ? [] : asStrings(st[name]),
          suggestions: isAction ? "dl-actions" : null,
          placeholder: isAction ? "service:Action" : "arn:aws:…",
          itemLabel: label,
          addLabel: `Add ${label}`,
        }),
      );
    }
    block.append(lists);
    if (!("condition" in extra)) block.append(conditionsEditor(st.condition ?? []));
    for (const [k, v] of Object.entries(extra)) {
      const why = k === "principals" || k === "not_principals"
        ? "principals are not allowed in this identity policy"
        : STATEMENT_FORM_KEYS.includes(k) ? "a value the form cannot edit" : "not an attribute of a statement";
      block.append(rawNote(k, `${k}: ${describe(v)} — ${why}; edit it in the JSON below.`));
    }
  }
  block.append(h("button", { type: "button", class: "remove-block", "data-action": "statement-remove", text: "Remove statement" }));
  return block;
}

function isConditionList(v) {
  return Array.isArray(v) && v.every((c) =>
    isPlainObject(c) &&
    Object.keys(c).every((k) => ["test", "variable", "values"].includes(k)) &&
    (c.test == null || typeof c.test === "string") &&
    (c.variable == null || typeof c.variable === "string") &&
    (c.values == null || isStringList(c.values)));
}

export function relabelStatements(box) {
  [...box.querySelectorAll(":scope > .items > .statement")].forEach((b, i) => {
    const key = b.querySelector(".st-key").value;
    const legend = `Statement ${i + 1}${key ? ` — ${key}` : ""}`;
    const el = b.querySelector(":scope > legend");
    if (el.textContent !== legend) el.textContent = legend;
    b.querySelector(":scope > .remove-block").setAttribute("aria-label", `Remove statement ${i + 1}`);
  });
}

/** A statement's value as its block shows it: the form's attributes, then the ones it keeps. */
export function readStatement(block) {
  const { whole, extra } = kept.get(block);
  if (!extra) return whole;
  const st = {};
  const sid = block.querySelector(".st-sid")?.value ?? "";
  if (sid !== "") st.sid = sid;
  st.effect = block.querySelector(".st-effect").value;
  for (const name of STATEMENT_LISTS) {
    const box = block.querySelector(`:scope > .lists > [data-list="${name}"]`);
    if (!box) continue;
    const list = readList(box);
    if (list.length) st[name] = list;
  }
  const conditions = block.querySelector(":scope > .conditions");
  if (conditions) {
    const list = [...conditions.querySelectorAll(":scope > .items > .condition")].map((c) => ({
      test: c.querySelector(".c-test").value,
      variable: c.querySelector(".c-variable").value,
      values: readList(c.querySelector("[data-list]")),
    }));
    if (list.length) st.condition = list;
  }
  return { ...st, ...extra };
}

// Conditions -----------------------------------------------------------------------------------

function conditionsEditor(conditions) {
  const box = h("fieldset", { class: "conditions", "data-seg": "condition" });
  const items = h("div", { class: "items" });
  box.append(h("legend", { class: "attr", text: "condition" }), items);
  for (const c of conditions) items.append(conditionBlock(c));
  box.append(h("button", { type: "button", class: "add", "data-field": "", "data-action": "condition-add", text: "Add condition" }));
  relabelConditions(box);
  return box;
}

export function conditionBlock(c) {
  const testId = uid("f");
  const varId = uid("f");
  return h("div", { class: "condition" },
    h("div", { class: "pair" },
      h("div", { class: "field" },
        h("label", { for: testId, text: "test" }),
        h("input", { id: testId, type: "text", class: "c-test", list: "dl-operators", value: c.test ?? "", "data-seg": "test", "data-field": "", placeholder: "StringEquals", spellcheck: "false", autocomplete: "off" }),
      ),
      h("div", { class: "field" },
        h("label", { for: varId, text: "variable" }),
        h("input", { id: varId, type: "text", class: "c-variable", list: "dl-condition-keys", value: c.variable ?? "", "data-seg": "variable", "data-field": "", placeholder: "aws:SecureTransport", spellcheck: "false", autocomplete: "off" }),
      ),
    ),
    listEditor({
      seg: "values",
      legend: "values",
      values: c.values == null ? [] : asStrings(c.values),
      suggestions: null,
      placeholder: "value",
      itemLabel: "value",
      addLabel: "Add value",
    }),
    h("button", { type: "button", class: "remove-block", "data-action": "condition-remove", text: "Remove condition" }),
  );
}

export function relabelConditions(box) {
  [...box.querySelectorAll(":scope > .items > .condition")].forEach((c, i) => {
    c.dataset.seg = String(i);
    c.querySelector(":scope > .remove-block").setAttribute("aria-label", `Remove condition ${i + 1}`);
  });
}
