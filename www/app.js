// The page: a form over the module's inputs, live results from the engine (./pkg/, the web
// build of this package), state in the URL. No framework; user text reaches the DOM only as
// text nodes, attribute values and form values — never as HTML.
import init, { generate, validate, version } from "./pkg/index.js";
import { zipSync, strToU8, deflateSync, inflateSync } from "./vendor/fflate.js";

// ---------------------------------------------------------------------------------------------
// Data

/** The seed's two examples (shared/examples/*.tfvars.json) and a blank start. */
const PRESETS = {
  basic: {
    name_prefix: "metaflow-prod",
    tags: { Environment: "production", Project: "metaflow" },
  },
  advanced: {
    name_prefix: "metaflow-prod",
    enable_spot_fleet_role: true,
    additional_job_policy_arns: ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"],
    custom_job_policy_statements: {
      secrets_access: {
        sid: "AllowSecretsManagerAccess",
        effect: "Allow",
        actions: ["secretsmanager:GetSecretValue"],
        resources: ["arn:aws:secretsmanager:*:*:secret:metaflow/*"],
      },
    },
    tags: { Environment: "production", Project: "metaflow" },
  },
  blank: { name_prefix: "" },
};
const DEFAULT_PRESET = "advanced";

/** The variables in the order the page writes them (the seed's advanced example). */
const VARIABLES = [
  "name_prefix",
  "enable_spot_fleet_role",
  "additional_job_policy_arns",
  "custom_job_policy_statements",
  "tags",
];

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

/** IAM's condition operators (the 27 base operators). */
const CONDITION_OPERATORS = [
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
  "StringLike", "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan",
  "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals",
  "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
  "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals",
  "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
];

/** Suggestions for condition keys. */
const CONDITION_KEYS = [
  "aws:SecureTransport", "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:RequestedRegion",
  "aws:PrincipalTag/", "aws:ResourceTag/", "aws:PrincipalOrgID", "s3:prefix", "kms:ViaService",
];

/** The statement attributes the form edits; any other key is kept and shown as raw JSON. */
const STATEMENT_LISTS = ["actions", "not_actions", "resources", "not_resources"];
const STATEMENT_FORM_KEYS = ["sid", "effect", ...STATEMENT_LISTS, "condition"];

/** Where each role's ARN goes (the seed's "Integration with Other Modules"). */
const CONSUMERS = {
  s3_metaflow: { label: "module s3_metaflow", lines: ["job_role_arn = batch_job_role_arn"] },
  ecr_unop: { label: "module ecr_unop", lines: ["job_role_arn = batch_job_role_arn"] },
  batch: { label: "aws_batch_compute_environment", lines: [] },
};

/** The service each role trusts, used only when the trust policy names none. */
const FALLBACK_SERVICE = {
  batch_job: "ecs-tasks",
  batch_service: "batch",
  batch_instance: "ec2",
  spot_fleet: "spotfleet",
};

/** Diagnostic codes about a map key rather than its value. */
const KEY_CODES = new Set([
  "tag_key_length", "tag_key_chars", "tag_key_reserved", "tag_key_duplicate", "duplicate_key",
]);
/** Diagnostics about the whole configuration, shown at the field closest to their subject. */
const ROOT_CODE_TARGET = {
  broad_default_policies: "/additional_job_policy_arns", // the job role's managed policies
};
/** Statement-level codes and the attribute the field for them is under. */
const STATEMENT_CODE_TARGET = {
  action_missing: "actions",
  action_conflict: "not_actions",
  resource_missing: "resources",
  resource_conflict: "not_resources",
};

// ---------------------------------------------------------------------------------------------
// Small DOM helpers (text only: strings become text nodes, never markup)

const $ = (id) => document.getElementById(id);
let uidCounter = 0;
const uid = (prefix) => `${prefix}-${++uidCounter}`;

/** Creates an element; `text` sets textContent, `on*` adds listeners, others are attributes. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const child of children.flat()) if (child != null && child !== false) el.append(child);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  for (const child of children.flat()) if (child != null && child !== false) el.append(child);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "text") el.textContent = v;
    else if (k === "value") el.value = v;
    else if (k === "checked") el.checked = Boolean(v);
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
}

/** RFC 6901: escapes one reference token. */
const escapeToken = (t) => String(t).replaceAll("~", "~0").replaceAll("/", "~1");

/** The JSON pointer of a form element: the `data-seg` tokens of it and its ancestors. */
function pointerOf(el) {
  const segs = [];
  for (let e = el; e && e !== document.body; e = e.parentElement) {
    if (e.dataset && e.dataset.seg !== undefined) segs.unshift(e.dataset.seg);
  }
  return segs.map((t) => "/" + escapeToken(t)).join("");
}

const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const pretty = (v) => JSON.stringify(v, null, 2);

// ---------------------------------------------------------------------------------------------
// State

/** The inputs as the engine receives them (any JSON: the raw view may hold anything). */
let inputs = structuredClone(PRESETS[DEFAULT_PRESET]);
/** Page-level problems (JSON syntax, duplicate keys in the form), by section. */
const pageDiagnostics = {};
/** The last successful result, and whether the inputs changed into an error since. */
let lastResult = null;
let stale = false;
/** Panels to re-render when shown. */
const dirtyPanels = new Set();
let firstOutput = false;

const form = $("inputs");
const fields = $("form-fields");
const raw = $("raw-json");

/** Non-default options, read from their fields. */
function readOptions() {
  const options = {};
  for (const el of form.querySelectorAll("[data-option]")) {
    const value = el.value.trim() === "" ? "" : el.value;
    if (value === "" || (el.dataset.option === "partition" && value === "aws")) continue;
    options[el.dataset.option] = value;
  }
  return options;
}

function writeOptions(options) {
  for (const el of form.querySelectorAll("[data-option]")) {
    const value = options?.[el.dataset.option];
    el.value = typeof value === "string" ? value : el.dataset.option === "partition" ? "aws" : "";
  }
  updateSuggestions();
}

/** Sets one variable (undefined removes it), keeping the page's variable order. */
function setVariable(name, value) {
  const current = isPlainObject(inputs) ? inputs : {};
  const next = {};
  for (const key of VARIABLES) {
    if (key === name) {
      if (value !== undefined) next[key] = value;
    } else if (key in current) next[key] = current[key];
  }
  for (const key of Object.keys(current)) if (!VARIABLES.includes(key)) next[key] = current[key];
  inputs = next;
}

// ---------------------------------------------------------------------------------------------
// The form

/** Extra data attached to editors: attributes the form does not edit, kept as they are. */
const kept = new WeakMap();

function datalist(id, values) {
  return h("datalist", { id }, values.map((v) => h("option", { value: v })));
}

function updateSuggestions() {
  const partition = form.querySelector('[data-option="partition"]').value || "aws";
  const list = $("dl-managed");
  if (!list) return;
  list.replaceChildren(
    ...MANAGED_POLICIES.map((p) => h("option", { value: `arn:${partition}:iam::aws:policy/${p}` })),
  );
}

/** A note for a value the form cannot edit; focusable so diagnostics can jump to it. */
function rawNote(seg, text) {
  return h("p", { class: "kept", "data-seg": seg, "data-field": "", tabindex: "-1", text });
}

function describe(value) {
  const text = JSON.stringify(value);
  return text.length > 120 ? text.slice(0, 117) + "…" : text;
}

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

function listRow(box, value) {
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
function renumber(box) {
  const { itemLabel } = kept.get(box);
  [...box.querySelector(".items").children].forEach((row, i) => {
    row.dataset.seg = String(i);
    row.querySelector("input").setAttribute("aria-label", `${itemLabel} ${i + 1}`);
    row.querySelector(".remove").setAttribute("aria-label", `Remove ${itemLabel} ${i + 1}`);
  });
}

const readList = (box) => [...box.querySelectorAll(":scope > .items > .row > input")].map((i) => i.value);

/** Whether a value is a list of strings (numbers and bools shown as Terraform converts them). */
const isStringList = (v) =>
  Array.isArray(v) && v.every((x) => ["string", "number", "boolean"].includes(typeof x));
const asStrings = (v) => v.map((x) => String(x));

function renderForm() {
  const value = isPlainObject(inputs) ? inputs : {};
  const parts = [];

  // name_prefix
  const np = value.name_prefix;
  const npId = uid("f");
  parts.push(
    h("div", { class: "field" },
      h("label", { for: npId, text: "Name prefix" }),
      h("input", {
        id: npId,
        type: "text",
        "data-seg": "name_prefix",
        "data-field": "",
        "data-section": "name_prefix",
        value: np == null ? "" : typeof np === "object" ? JSON.stringify(np) : String(np),
        required: true,
        autocomplete: "off",
        spellcheck: "false",
        "aria-describedby": npId + "-hint",
      }),
      h("p", { class: "hint", id: npId + "-hint", text: "Prefix of every IAM name, e.g. metaflow-prod. Required." }),
    ),
  );

  // enable_spot_fleet_role
  const spot = value.enable_spot_fleet_role;
  const spotId = uid("f");
  parts.push(
    h("div", { class: "field check" },
      h("input", {
        id: spotId,
        type: "checkbox",
        "data-seg": "enable_spot_fleet_role",
        "data-field": "",
        "data-section": "enable_spot_fleet_role",
        checked: spot === true || spot === "true",
      }),
      h("label", { for: spotId, text: "Create the Spot Fleet role (enable_spot_fleet_role)" }),
    ),
  );

  // additional_job_policy_arns
  const arns = value.additional_job_policy_arns;
  const arnSection = h("div", { class: "section", "data-section": "additional_job_policy_arns" });
  if (arns == null || isStringList(arns)) {
    arnSection.append(
      listEditor({
        seg: "additional_job_policy_arns",
        legend: "Additional managed policies of the job role",
        values: arns == null ? [] : asStrings(arns),
        suggestions: "dl-managed",
        placeholder: "arn:aws:iam::aws:policy/…",
        itemLabel: "Policy ARN",
        addLabel: "Add policy ARN",
        attribute: false,
      }),
    );
    arnSection.querySelector("legend").after(
      h("p", { class: "hint", text: "Attached to the job role after its three defaults. Suggestions follow the partition." }),
    );
  } else {
    arnSection.dataset.raw = "1";
    arnSection.append(
      h("fieldset", { class: "list", "data-seg": "additional_job_policy_arns" },
        h("legend", { text: "Additional managed policies of the job role" }),
        rawNote(null, `Holds ${describe(arns)}, not a list of strings: edit it in the JSON below.`),
      ),
    );
  }
  parts.push(arnSection);

  // custom_job_policy_statements
  parts.push(statementsEditor(value.custom_job_policy_statements));

  // tags
  parts.push(tagsEditor(value.tags));

  parts.push(datalist("dl-managed", []), datalist("dl-actions", ACTIONS));
  parts.push(datalist("dl-operators", CONDITION_OPERATORS), datalist("dl-condition-keys", CONDITION_KEYS));
  fields.replaceChildren(...parts);
  updateSuggestions();
}

function tagsEditor(tags) {
  const box = h("fieldset", { class: "map", "data-seg": "tags", "data-section": "tags" });
  const rows = h("div", { class: "items" });
  box.append(
    h("legend", { text: "Tags" }),
    h("p", { class: "hint", text: "Applied to every role and the instance profile." }),
    h("div", { class: "map-head", "aria-hidden": "true" }, h("span", { text: "Key" }), h("span", { text: "Value" })),
    rows,
  );
  if (tags == null || isPlainObject(tags)) {
    for (const [k, v] of Object.entries(tags ?? {})) {
      rows.append(tagRow(k, v == null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v)));
    }
  } else {
    box.dataset.raw = "1";
    box.append(rawNote(null, `Holds ${describe(tags)}, not a map of strings: edit it in the JSON below.`));
  }
  box.append(h("button", { type: "button", class: "add", "data-field": "", "data-action": "tag-add", text: "Add tag" }));
  relabelTags(box);
  return box;
}

function tagRow(key, value) {
  return h("div", { class: "row field", "data-seg": key },
    h("input", { type: "text", class: "tag-key", value: key, "data-field": "", "data-part": "key", spellcheck: "false", autocomplete: "off" }),
    h("input", { type: "text", class: "tag-value", value, "data-field": "", spellcheck: "false", autocomplete: "off" }),
    h("button", { type: "button", class: "remove", "data-action": "tag-remove", text: "✕" }),
  );
}

/** Removes an editor row, relabels the rest of `box` and keeps the focus nearby: on the next
 * row's field, else the previous one's, else the box's add button. */
function removeRow(row, box, relabel) {
  const next = row.nextElementSibling ?? row.previousElementSibling;
  row.remove();
  relabel(box);
  (next?.querySelector("input") ?? box.querySelector(".add")).focus();
}

function relabelTags(box) {
  [...box.querySelectorAll(":scope > .items > .row")].forEach((row, i) => {
    row.querySelector(".tag-key").setAttribute("aria-label", `Tag ${i + 1} key`);
    row.querySelector(".tag-value").setAttribute("aria-label", `Tag ${i + 1} value`);
    row.querySelector(".remove").setAttribute("aria-label", `Remove tag ${i + 1}`);
  });
}

function statementsEditor(statements) {
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
  if (statements == null || isPlainObject(statements)) {
    for (const [key, st] of Object.entries(statements ?? {})) items.append(statementBlock(key, st));
  } else {
    box.dataset.raw = "1";
    box.append(rawNote(null, `Holds ${describe(statements)}, not a map of statements: edit it in the JSON below.`));
  }
  box.append(h("button", { type: "button", class: "add", "data-field": "", "data-action": "statement-add", text: "Add statement" }));
  relabelStatements(box);
  return box;
}

function statementBlock(key, statement) {
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
      lists.append(
        listEditor({
          seg: name,
          legend: name,
          values: st[name] == null ? [] : asStrings(st[name]),
          suggestions: isAction ? "dl-actions" : null,
          placeholder: isAction ? "service:Action" : "arn:aws:…",
          itemLabel: name.replace("_", " ").replace(/s$/, ""),
          addLabel: `Add ${name.replace("_", " ").replace(/s$/, "")}`,
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

function conditionsEditor(conditions) {
  const box = h("fieldset", { class: "conditions", "data-seg": "condition" });
  const items = h("div", { class: "items" });
  box.append(h("legend", { class: "attr", text: "condition" }), items);
  for (const c of conditions) items.append(conditionBlock(c));
  box.append(h("button", { type: "button", class: "add", "data-field": "", "data-action": "condition-add", text: "Add condition" }));
  relabelConditions(box);
  return box;
}

function conditionBlock(c) {
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

function relabelConditions(box) {
  [...box.querySelectorAll(":scope > .items > .condition")].forEach((c, i) => {
    c.dataset.seg = String(i);
    c.querySelector(":scope > .remove-block").setAttribute("aria-label", `Remove condition ${i + 1}`);
  });
}

function relabelStatements(box) {
  [...box.querySelectorAll(":scope > .items > .statement")].forEach((b, i) => {
    const key = b.querySelector(".st-key").value;
    b.querySelector("legend").textContent = `Statement ${i + 1}${key ? ` — ${key}` : ""}`;
    b.querySelector(":scope > .remove-block").setAttribute("aria-label", `Remove statement ${i + 1}`);
  });
}

// Reading the form back into the inputs -------------------------------------------------------

function duplicateKey(input, what, key) {
  const variable = what === "tag key" ? "tags" : "custom_job_policy_statements";
  return {
    severity: "error",
    code: "duplicate_key",
    path: `${variable}[${JSON.stringify(key)}]`,
    pointer: pointerOf(input),
    message: `the ${what} "${key}" appears twice: JSON keeps only one`,
    help: "rename or remove one of them",
    element: input,
  };
}

function readSection(name) {
  const section = fields.querySelector(`[data-section="${name}"]`);
  if (!section || section.dataset.raw === "1") return;
  pageDiagnostics[name] = [];
  switch (name) {
    case "name_prefix":
      setVariable(name, section.value);
      break;
    case "enable_spot_fleet_role":
      setVariable(name, section.checked ? true : undefined);
      break;
    case "additional_job_policy_arns": {
      const list = readList(section.querySelector("[data-list]"));
      setVariable(name, list.length ? list : undefined);
      break;
    }
    case "tags": {
      const tags = {};
      for (const row of section.querySelectorAll(":scope > .items > .row")) {
        const key = row.querySelector(".tag-key");
        if (Object.hasOwn(tags, key.value)) {
          pageDiagnostics[name].push(duplicateKey(key, "tag key", key.value));
          continue;
        }
        tags[key.value] = row.querySelector(".tag-value").value;
      }
      setVariable(name, Object.keys(tags).length ? tags : undefined);
      break;
    }
    case "custom_job_policy_statements": {
      const statements = {};
      for (const block of section.querySelectorAll(":scope > .items > .statement")) {
        const key = block.querySelector(".st-key");
        if (Object.hasOwn(statements, key.value)) {
          pageDiagnostics[name].push(duplicateKey(key, "statement key", key.value));
          continue;
        }
        statements[key.value] = readStatement(block);
      }
      setVariable(name, Object.keys(statements).length ? statements : undefined);
      break;
    }
  }
}

function readStatement(block) {
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

// ---------------------------------------------------------------------------------------------
// Form events

form.addEventListener("submit", (e) => e.preventDefault());

form.addEventListener("input", (e) => {
  const t = e.target;
  if (t === raw) return onRawInput(e.timeStamp);
  if (t.dataset.option !== undefined) {
    if (t.dataset.option === "partition") updateSuggestions();
    return update(e.timeStamp);
  }
  if (t.dataset.part === "key") {
    t.closest("[data-seg]").dataset.seg = t.value;
    const statements = t.closest(".statements");
    if (statements) relabelStatements(statements);
  }
  const section = t.closest("[data-section]");
  if (!section) return;
  formChanged(section.dataset.section, e.timeStamp);
});

// Enter in a list or tag row adds another row (the form itself never submits).
form.addEventListener("keydown", (e) => {
  if (e.key !== "Enter" || e.isComposing || e.target.tagName !== "INPUT") return;
  const box = e.target.closest(".row")?.closest("[data-list], [data-section='tags']");
  if (!box) return;
  e.preventDefault();
  box.querySelector(":scope > .add").click();
});

function formChanged(section, start) {
  readSection(section);
  raw.value = pretty(inputs);
  delete pageDiagnostics.raw;
  update(start);
}

form.addEventListener("click", (e) => {
  const button = e.target.closest("button[data-action]");
  if (!button) return;
  const start = e.timeStamp;
  const section = button.closest("[data-section]");
  switch (button.dataset.action) {
    case "list-add": {
      const box = button.closest("[data-list]");
      const row = listRow(box, "");
      box.querySelector(".items").append(row);
      renumber(box);
      row.querySelector("input").focus();
      break;
    }
    case "list-remove": {
      removeRow(button.closest(".row"), button.closest("[data-list]"), renumber);
      break;
    }
    case "tag-add": {
      if (section.dataset.raw === "1") section.replaceWith(tagsEditor({}));
      const box = fields.querySelector('[data-section="tags"]');
      const row = tagRow("", "");
      box.querySelector(".items").append(row);
      relabelTags(box);
      row.querySelector("input").focus();
      break;
    }
    case "tag-remove": {
      removeRow(button.closest(".row"), section, relabelTags);
      break;
    }
    case "statement-add": {
      if (section.dataset.raw === "1") section.replaceWith(statementsEditor({}));
      const box = fields.querySelector('[data-section="custom_job_policy_statements"]');
      const taken = new Set([...box.querySelectorAll(".st-key")].map((i) => i.value));
      let n = box.querySelectorAll(".statement").length + 1;
      while (taken.has(`statement${n}`)) n++;
      const block = statementBlock(`statement${n}`, { effect: "Allow", actions: [""], resources: ["*"] });
      box.querySelector(":scope > .items").append(block);
      relabelStatements(box);
      block.querySelector(".st-key").focus();
      break;
    }
    case "statement-remove": {
      const box = button.closest(".statements");
      const block = button.closest(".statement");
      const next = block.nextElementSibling ?? block.previousElementSibling;
      block.remove();
      relabelStatements(box);
      (next?.querySelector(".st-key") ?? box.querySelector(":scope > .add")).focus();
      break;
    }
    case "condition-add": {
      const box = button.closest(".conditions");
      const block = conditionBlock({ test: "", variable: "", values: [""] });
      box.querySelector(".items").append(block);
      relabelConditions(box);
      block.querySelector(".c-test").focus();
      break;
    }
    case "condition-remove": {
      const box = button.closest(".conditions");
      const block = button.closest(".condition");
      block.remove();
      relabelConditions(box);
      box.querySelector(":scope > .add").focus();
      break;
    }
    default:
      return;
  }
  formChanged(section.dataset.section, start);
});

function onRawInput(start) {
  let parsed;
  try {
    parsed = JSON.parse(raw.value);
  } catch (err) {
    pageDiagnostics.raw = [{
      severity: "error",
      code: "json_syntax",
      path: "",
      pointer: "",
      message: `the JSON does not parse: ${err.message}`,
      help: "fix the JSON; the form shows the last inputs that parsed",
      element: raw,
    }];
    return update(start);
  }
  for (const key of Object.keys(pageDiagnostics)) delete pageDiagnostics[key];
  inputs = parsed;
  renderForm();
  update(start);
}

// ---------------------------------------------------------------------------------------------
// Evaluating and showing diagnostics

function allDiagnostics(result, thrown) {
  const page = Object.values(pageDiagnostics).flat();
  // JSON that does not parse: the engine has nothing current to look at.
  if (pageDiagnostics.raw?.length) return page;
  if (page.length) {
    let engine = [];
    try {
      engine = validate(inputs, readOptions());
    } catch {
      engine = [];
    }
    return [...page, ...engine];
  }
  if (result) return result.diagnostics;
  if (Array.isArray(thrown?.diagnostics)) return thrown.diagnostics;
  return [{
    severity: "error",
    code: "internal",
    path: "",
    pointer: "",
    message: `the engine failed: ${thrown?.message ?? String(thrown)}`,
  }];
}

let updateCount = 0;

/** Evaluates the inputs and refreshes every view; `start` is the triggering event's time. */
function update(start) {
  const begun = performance.now();
  const options = readOptions();
  let result = null;
  let thrown = null;
  if (Object.values(pageDiagnostics).flat().length === 0) {
    try {
      result = generate(inputs, options);
    } catch (err) {
      thrown = err;
    }
  }
  const diagnostics = allDiagnostics(result, thrown);
  if (result) {
    lastResult = { result, options };
    stale = false;
    for (const id of PANELS.keys()) dirtyPanels.add(id);
    renderPicture();
  } else {
    stale = true;
    if (!lastResult) $("picture").replaceChildren(emptyNote("No result yet: fix the errors listed under Diagnostics."));
  }
  showDiagnostics(diagnostics);
  document.body.classList.toggle("is-stale", stale && lastResult !== null);
  $("stale-note").hidden = !(stale && lastResult !== null);
  $("stale-note").textContent = lastResult
    ? "The result below is from the last valid inputs: fix the errors to update it."
    : "";
  dirtyPanels.add("panel-diagnostics");
  renderActivePanel();
  saveState();
  updateCount++;
  if (result && !firstOutput) {
    firstOutput = true;
    performance.mark("first-output");
  }
  const end = performance.now();
  performance.measure("update-work", { start: begun, end });
  if (typeof start === "number" && start > 0) {
    performance.measure("update", { start, end });
    requestAnimationFrame(() => performance.measure("update-frame", { start, end: performance.now() }));
  }
  document.body.dataset.updates = String(updateCount);
}

/** Every `[data-field]` element by its pointer. */
function fieldMap() {
  const map = new Map();
  for (const el of document.querySelectorAll("[data-field]")) {
    const p = pointerOf(el);
    if (!map.has(p)) map.set(p, []);
    map.get(p).push(el);
  }
  return map;
}

/** The form element a diagnostic belongs to: its pointer, or the nearest ancestor's field. */
function targetOf(d, map) {
  if (d.element) return d.element;
  const choose = (cands) => {
    const keyFirst = KEY_CODES.has(d.code);
    return cands.find((c) => (c.dataset.part === "key") === keyFirst) ?? cands[0];
  };
  let p = typeof d.pointer === "string" ? d.pointer : "";
  if (p === "" && ROOT_CODE_TARGET[d.code]) p = ROOT_CODE_TARGET[d.code];
  const sub = STATEMENT_CODE_TARGET[d.code];
  if (sub && map.has(`${p}/${sub}`)) return choose(map.get(`${p}/${sub}`));
  for (;;) {
    if (map.has(p)) return choose(map.get(p));
    if (p === "") return raw;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

let shownMessages = [];

function showDiagnostics(diagnostics) {
  // Clear the previous inline messages.
  for (const el of shownMessages) el.remove();
  shownMessages = [];
  for (const el of document.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
  }
  for (const el of document.querySelectorAll("[data-described]")) {
    const base = el.dataset.described;
    if (base) el.setAttribute("aria-describedby", base);
    else el.removeAttribute("aria-describedby");
    delete el.dataset.described;
  }

  const map = fieldMap();
  const list = $("diag-list");
  const items = [];
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) {
    counts[d.severity] = (counts[d.severity] ?? 0) + 1;
    const target = targetOf(d, map);
    const id = uid("msg");
    const text = `${d.message}${d.help ? ` — ${d.help}` : ""}`;
    const msg = h("p", { class: `msg ${d.severity}`, id, "data-code": d.code },
      h("span", { class: "sev", text: d.severity === "error" ? "Error" : d.severity === "warning" ? "Warning" : "Note" }),
      ` ${text}`,
    );
    const container = target.closest(".row, .field, fieldset") ?? target.parentElement;
    container.append(msg);
    shownMessages.push(msg);
    if (target.dataset.described === undefined) {
      target.dataset.described = target.getAttribute("aria-describedby") ?? "";
    }
    target.setAttribute("aria-describedby", `${target.getAttribute("aria-describedby") ?? ""} ${id}`.trim());
    if (d.severity === "error") target.setAttribute("aria-invalid", "true");

    const jump = h("button", { type: "button", class: "jump", text: d.path || (d.pointer ?? "") || "inputs" });
    jump.addEventListener("click", () => focusField(target, d));
    items.push(
      h("li", { class: `diag ${d.severity}`, "data-code": d.code, "data-pointer": d.pointer ?? "" },
        h("span", { class: "sev", text: d.severity }),
        h("code", { class: "code", text: d.code }),
        jump,
        h("span", { class: "text", text }),
      ),
    );
  }
  list.replaceChildren(...items);
  if (!items.length) list.append(h("li", { class: "none", text: "No diagnostics." }));

  const parts = [];
  if (counts.error) parts.push(`${counts.error} error${counts.error > 1 ? "s" : ""}`);
  if (counts.warning) parts.push(`${counts.warning} warning${counts.warning > 1 ? "s" : ""}`);
  if (counts.info) parts.push(`${counts.info} note${counts.info > 1 ? "s" : ""}`);
  const summary = parts.length ? parts.join(", ") : "No problems found.";
  $("diag-count").textContent = counts.error && lastResult ? `${summary} — the result shows the last valid inputs.` : summary;
  $("diag-count").dataset.errors = String(counts.error);
  $("diag-badge").textContent = diagnostics.length ? String(diagnostics.length) : "";
  $("diag-badge").className = `badge ${counts.error ? "error" : counts.warning ? "warning" : ""}`;
}

function focusField(target, d) {
  target.focus();
  target.scrollIntoView({ block: "center" });
  // In the raw JSON, select where the syntax error is, or the key the pointer names.
  const position = d.code === "json_syntax" ? /position (\d+)/.exec(d.message) : null;
  if (target === raw && position) {
    const at = Number(position[1]);
    raw.setSelectionRange(at, at + 1);
  } else if (target === raw && d.pointer) {
    const token = d.pointer.slice(d.pointer.lastIndexOf("/") + 1).replaceAll("~1", "/").replaceAll("~0", "~");
    const at = raw.value.indexOf(JSON.stringify(token));
    if (at >= 0) raw.setSelectionRange(at, at + JSON.stringify(token).length);
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax colouring: tiny tokenizers producing text nodes and spans

function highlight(text, lang) {
  const frag = document.createDocumentFragment();
  const tokens = lang === "json" ? tokenizeJson(text) : lang === "hcl" ? tokenizeHcl(text) : [[null, text]];
  let plain = "";
  for (const [kind, t] of tokens) {
    if (!kind) {
      plain += t;
      continue;
    }
    if (plain) frag.append(plain);
    plain = "";
    frag.append(h("span", { class: `t-${kind}`, text: t }));
  }
  if (plain) frag.append(plain);
  return frag;
}

function tokenizeJson(text) {
  const out = [];
  const re = /("(?:[^"\\\n]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],])|(\s+|[^"\s{}[\],\d-]+|.)/gy;
  let m;
  while ((m = re.exec(text))) {
    if (m[1]) {
      out.push([m[2] ? "key" : "str", m[1]]);
      if (m[2]) out.push([null, m[2]]);
    } else if (m[3]) out.push(["num", m[3]]);
    else if (m[4]) out.push(["lit", m[4]]);
    else if (m[5]) out.push(["punct", m[5]]);
    else out.push([null, m[0]]);
    if (re.lastIndex >= text.length) break;
  }
  return out;
}

const NUM = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][\w-]*/y;
const AFTER = /[ \t]*(.)/y;

function tokenizeHcl(text) {
  const out = [];
  let i = 0;
  let lineStart = true;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const rest = text.slice(i, i + 2);
    if (c === "\n") {
      out.push([null, c]);
      i++;
      lineStart = true;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      let j = i;
      while (j < n && (text[j] === " " || text[j] === "\t" || text[j] === "\r")) j++;
      out.push([null, text.slice(i, j)]);
      i = j;
      continue;
    }
    if (c === "#" || rest === "//") {
      const j = text.indexOf("\n", i);
      const end = j < 0 ? n : j;
      out.push(["com", text.slice(i, end)]);
      i = end;
      continue;
    }
    if (rest === "/*") {
      const j = text.indexOf("*/", i + 2);
      const end = j < 0 ? n : j + 2;
      out.push(["com", text.slice(i, end)]);
      i = end;
      continue;
    }
    if (rest === "<<") {
      const m = /^<<-?([A-Za-z_][\w-]*)\n/.exec(text.slice(i));
      if (m) {
        const close = new RegExp(`\\n[ \\t]*${m[1]}(?=\\n|$)`, "g");
        close.lastIndex = i + m[0].length - 1;
        const e = close.exec(text);
        const end = e ? e.index + e[0].length : n;
        out.push(["str", text.slice(i, end)]);
        i = end;
        lineStart = false;
        continue;
      }
    }
    if (c === '"') {
      i = hclString(text, i, out);
      lineStart = false;
      continue;
    }
    NUM.lastIndex = i;
    const num = NUM.exec(text);
    if (num) {
      out.push(["num", num[0]]);
      i += num[0].length;
      lineStart = false;
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(text);
    if (id) {
      const word = id[0];
      const end = i + word.length;
      AFTER.lastIndex = end;
      const after = AFTER.exec(text);
      const next = after ? after[1] : "";
      let kind = null;
      if (word === "true" || word === "false" || word === "null") kind = "lit";
      else if (next === "=" && text[AFTER.lastIndex] !== "=") kind = "attr";
      else if (lineStart && (next === '"' || next === "{")) kind = "block";
      out.push([kind, word]);
      i = end;
      lineStart = false;
      continue;
    }
    out.push([/[{}[\]()=,:]/.test(c) ? "punct" : null, c]);
    i++;
    lineStart = false;
  }
  return out;
}

/** A quoted HCL string from `start`, with `${…}` interpolations marked; returns the end. */
function hclString(text, start, out) {
  let i = start + 1;
  let from = start;
  const n = text.length;
  while (i < n && text[i] !== '"' && text[i] !== "\n") {
    if (text[i] === "\\") {
      i += 2;
      continue;
    }
    if ((text[i] === "$" || text[i] === "%") && text[i + 1] === text[i] && text[i + 2] === "{") {
      i += 3; // $${ and %%{ are literal
      continue;
    }
    if ((text[i] === "$" || text[i] === "%") && text[i + 1] === "{") {
      if (i > from) out.push(["str", text.slice(from, i)]);
      let depth = 0;
      let j = i + 1;
      for (; j < n; j++) {
        if (text[j] === "{") depth++;
        else if (text[j] === "}" && --depth === 0) break;
        else if (text[j] === "\n") break;
      }
      out.push(["interp", text.slice(i, j + 1)]);
      i = j + 1;
      from = i;
      continue;
    }
    i++;
  }
  const end = Math.min(n, text[i] === '"' ? i + 1 : i);
  if (end > from) out.push(["str", text.slice(from, end)]);
  return end;
}

// ---------------------------------------------------------------------------------------------
// Copy and download

async function copyText(text, what) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const area = h("textarea", { class: "offscreen", readonly: true, "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
  }
  status(ok ? `Copied ${what}.` : `Could not copy ${what}: select the text and copy it.`);
}

function download(name, data, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = h("a", { href: url, download: name, class: "offscreen" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  status(`Downloaded ${name}.`);
}

function status(text) {
  const el = $("action-status");
  el.textContent = text;
}

/** The folder the module files go to in the zip, as the CLI chooses it: the call's source when
 *  it is a relative path that stays inside the folder, modules/iam_metaflow otherwise. */
function moduleFolder(options) {
  const source = options.module_source ?? "./shared-modules/wrapped/iam_metaflow";
  if (source.startsWith("./") || source.startsWith("../")) {
    const parts = [];
    let inside = true;
    for (const seg of source.split("/")) {
      if (seg === "" || seg === ".") continue;
      if (seg === "..") inside = parts.pop() !== undefined && inside;
      else parts.push(seg);
    }
    if (inside && parts.length) return parts.join("/");
  }
  return "modules/iam_metaflow";
}

/** Every file of the zip, by path: the CLI's layout under a folder named like the module,
 *  plus each policy document on its own. */
function zipFiles({ result, options }) {
  const root = `${options.module_name ?? "metaflow_iam"}/`;
  const files = {};
  files[`${root}main.tf`] = result.hcl.module_call;
  const folder = moduleFolder(options);
  for (const [name, text] of Object.entries(result.hcl.module)) files[`${root}${folder}/${name}`] = text;
  files[`${root}resources/main.tf`] = result.hcl.resources;
  files[`${root}integrations.tf.example`] = result.hcl.integrations;
  files[`${root}result.json`] = `${JSON.stringify(result, null, 2)}\n`;
  for (const role of result.roles) {
    files[`${root}policies/${role.key}.trust.json`] = role.assume_role_policy.json;
    if (role.inline_policy) files[`${root}policies/${role.key}.inline.json`] = role.inline_policy.json;
  }
  return files;
}

$("download-zip").addEventListener("click", () => {
  if (!lastResult) return status("Nothing to download yet: fix the errors first.");
  const files = zipFiles(lastResult);
  const data = zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])), { level: 6 });
  download(`${lastResult.options.module_name ?? "metaflow_iam"}.zip`, data, "application/zip");
});

$("copy-link").addEventListener("click", () => {
  saveNow();
  copyText(location.href, "the link");
});

// ---------------------------------------------------------------------------------------------
// Output panels

/** A titled text with copy and download buttons. */
function fileBlock({ title, text, lang, filename, output, level = "h3" }) {
  const type = lang === "json" ? "application/json" : "text/plain";
  const pre = h("pre", { class: `code lang-${lang}`, tabindex: "0", "aria-label": title, "data-output": output });
  const code = h("code", {});
  code.append(highlight(text, lang));
  pre.append(code);
  return h("section", { class: "file" },
    h("div", { class: "file-head" },
      h(level, { text: title }),
      h("span", { class: "file-actions" },
        h("button", { type: "button", class: "small", onclick: () => copyText(text, title), text: "Copy" }),
        filename && h("button", { type: "button", class: "small", onclick: () => download(filename, text, type), text: "Download" }),
      ),
    ),
    pre,
  );
}

/** The module's files in the order a reader takes them: main, variables, outputs, versions. */
const FILE_ORDER = ["main.tf", "variables.tf", "outputs.tf", "versions.tf"];
const fileRank = (name) => (FILE_ORDER.includes(name) ? FILE_ORDER.indexOf(name) : FILE_ORDER.length);

function emptyNote(text) {
  return h("p", { class: "empty", text });
}

const PANELS = new Map([
  ["panel-call", ({ result, options }) => [
    fileBlock({ title: "main.tf — the module call", text: result.hcl.module_call, lang: "hcl", filename: "main.tf", output: "module_call" }),
    h("p", { class: "hint", text: `The module folder goes to ${options.module_source ?? "./shared-modules/wrapped/iam_metaflow"} (see Module files); the zip has both.` }),
  ]],
  ["panel-module", ({ result, options }) => {
    const entries = Object.entries(result.hcl.module).sort(([a], [b]) => fileRank(a) - fileRank(b) || (a < b ? -1 : 1));
    if (!entries.length) return [emptyNote("The engine returned no module files.")];
    const folder = moduleFolder(options);
    const blocks = entries.map(([name, text]) =>
      fileBlock({ title: `${folder}/${name}`, text, lang: name.endsWith(".tf") ? "hcl" : "text", filename: name, output: `module:${name}` }));
    // An index of the files: each button moves the focus to that file's text.
    const index = h("nav", { class: "file-index", "aria-label": "Module files" },
      entries.map(([name], i) => h("button", {
        type: "button",
        class: "small",
        text: name,
        onclick: () => {
          const pre = blocks[i].querySelector("pre");
          pre.focus();
          pre.scrollIntoView({ block: "start" });
        },
      })));
    return [index, ...blocks];
  }],
  ["panel-resources", ({ result }) => [
    h("p", { class: "hint", text: "The same roles as plain hashicorp/aws resources, for a root module without the wrapper." }),
    fileBlock({ title: "resources/main.tf", text: result.hcl.resources, lang: "hcl", filename: "resources.tf", output: "resources" }),
  ]],
  ["panel-integrations", ({ result }) => [
    h("p", { class: "hint", text: "Where the outputs go: s3_metaflow and ecr_unop take the job role, the Batch compute environment the service role and the instance profile." }),
    fileBlock({ title: "integrations.tf", text: result.hcl.integrations, lang: "hcl", filename: "integrations.tf", output: "integrations" }),
  ]],
  ["panel-policies", ({ result }) => result.roles.map(rolePolicies)],
  ["panel-outputs", ({ result }) => [outputsTable(result.outputs),
    fileBlock({ title: "outputs.json", text: pretty(result.outputs), lang: "json", filename: "outputs.json", output: "outputs" })]],
  ["panel-diagnostics", null],
]);

function rolePolicies(role) {
  const section = h("section", { class: "role", "data-role": role.key },
    h("h3", { text: role.name }),
    h("p", { class: "hint" }, h("code", { text: role.key }), " · ", h("code", { text: role.address })),
  );
  section.append(fileBlock({
    title: "Trust policy",
    text: role.assume_role_policy.json,
    lang: "json",
    filename: `${role.name}-trust.json`,
    output: `policy:${role.key}:trust`,
    level: "h4",
  }));
  section.append(h("h4", { text: "Managed policies" }));
  section.append(h("ul", { class: "arns", "data-output": `policy:${role.key}:managed` },
    role.managed_policy_arns.map((a) => h("li", {}, h("code", { text: a.arn })))));
  if (role.inline_policy) {
    section.append(fileBlock({
      title: `Inline policy ${role.inline_policy.name}`,
      text: role.inline_policy.json,
      lang: "json",
      filename: `${role.name}-inline.json`,
      output: `policy:${role.key}:inline`,
      level: "h4",
    }));
  } else {
    section.append(h("p", { class: "hint", text: "No inline policy." }));
  }
  if (role.instance_profile) {
    section.append(h("p", {}, "Instance profile ", h("code", { text: role.instance_profile.name }),
      role.instance_profile.arn ? [" — ", h("code", { text: role.instance_profile.arn })] : null));
  }
  return section;
}

function outputsTable(outputs) {
  const rows = Object.entries(outputs).map(([name, o]) =>
    h("tr", {},
      h("th", { scope: "row" }, h("code", { text: name })),
      h("td", {}, o.value == null
        ? h("span", { class: "unknown", text: o.known_after_apply ? "(known after apply)" : "null" })
        : [h("code", { text: o.value }), o.known_after_apply ? h("span", { class: "unknown", text: " (predicted)" }) : null]),
      h("td", { text: o.description }),
    ));
  return h("div", { class: "table-scroll" },
    h("table", { class: "outputs" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Output" }), h("th", { scope: "col", text: "Value" }), h("th", { scope: "col", text: "Description" }))),
      h("tbody", {}, rows),
    ));
}

function renderActivePanel() {
  const tab = document.querySelector('[role="tab"][aria-selected="true"]');
  const id = tab.getAttribute("aria-controls");
  if (!dirtyPanels.has(id)) return;
  dirtyPanels.delete(id);
  const render = PANELS.get(id);
  if (!render) return;
  const panel = $(id);
  panel.replaceChildren(...(lastResult ? render(lastResult) : [emptyNote("No result yet: fix the errors listed under Diagnostics.")]));
}

// Tabs (ARIA tabs pattern: arrows, Home, End move and activate) -------------------------------

const tabs = [...document.querySelectorAll('[role="tab"]')];
function selectTab(tab, focus) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
  renderActivePanel();
  if (focus) tab.focus();
}
for (const tab of tabs) {
  tab.addEventListener("click", () => selectTab(tab, false));
  tab.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length], true);
  });
}

// ---------------------------------------------------------------------------------------------
// The picture of the role set (inline SVG from the result)

function serviceOf(role, partition) {
  const statements = role.assume_role_policy?.document?.Statement ?? [];
  const found = [];
  for (const st of statements) {
    const service = st?.Principal?.Service;
    if (typeof service === "string") found.push(service);
    else if (Array.isArray(service)) found.push(...service);
  }
  if (found.length) return found.join(", ");
  // The trust policy names no service (an engine without rendering): the module's own facts.
  const name = FALLBACK_SERVICE[role.key] ?? role.key;
  return partition === "aws-cn" && name === "ec2" ? "ec2.amazonaws.com.cn" : `${name}.amazonaws.com`;
}

function fit(text, chars) {
  return text.length > chars ? text.slice(0, chars - 1) + "…" : text;
}

function svgText(x, y, text, cls, chars) {
  const shown = chars ? fit(text, chars) : text;
  const el = s("text", { x, y, class: cls }, shown);
  if (shown !== text) el.append(s("title", {}, text));
  return el;
}

function renderPicture() {
  const { result, options } = lastResult;
  const partition = options.partition ?? "aws";
  const W = 1050;
  const SVC = { x: 8, w: 192 };
  const ROLE = { x: 276, w: 380 };
  const CONS = { x: 730, w: 312 };
  const LINE = 17;
  const g = s("g", {});
  const desc = [];
  let y = 34;
  const anchors = {};

  for (const role of result.roles) {
    const managed = role.managed_policy_arns.map((a) => a.arn.replace(/^arn:[^:]*:iam::[^:]*:policy\//, ""));
    const inline = role.inline_policy;
    const profile = role.instance_profile;
    const lines = managed.length + (inline ? 1 : 0);
    const height = 48 + lines * LINE + (profile ? 46 : 0) + 8;
    const service = serviceOf(role, partition);

    // The service and its arrow.
    const sy = y + 8;
    g.append(
      s("rect", { x: SVC.x, y: sy, width: SVC.w, height: 40, rx: 20, class: "svc" }),
      svgText(SVC.x + 12, sy + 17, "Service", "small"),
      svgText(SVC.x + 12, sy + 32, service, "mono", 24),
      s("line", { x1: SVC.x + SVC.w, y1: sy + 20, x2: ROLE.x - 4, y2: sy + 20, class: "edge", "marker-end": "url(#arrow)" }),
      svgText(SVC.x + SVC.w + 14, sy + 13, "assumes", "small"),
    );

    // The role.
    g.append(
      s("rect", { x: ROLE.x, y, width: ROLE.w, height, rx: 6, class: `role role-${role.key}`, "data-role": role.key }),
      svgText(ROLE.x + 12, y + 20, role.name, "title", 44),
      svgText(ROLE.x + 12, y + 37, `${role.key} · ${managed.length} managed${inline ? " · inline" : ""}`, "small"),
    );
    let ly = y + 37 + LINE;
    for (const m of managed) {
      g.append(svgText(ROLE.x + 20, ly, `▪ ${m}`, "mono role-line", 50));
      ly += LINE;
    }
    if (inline) {
      const count = Array.isArray(inline.document?.Statement) ? inline.document.Statement.length : null;
      g.append(svgText(ROLE.x + 20, ly, `✎ inline ${inline.name}${count == null ? "" : ` (${count} stmt)`}`, "mono role-line", 50));
      ly += LINE;
    }
    let from = { x: ROLE.x + ROLE.w, y: y + 20 };
    if (profile) {
      const py = ly - 6;
      g.append(
        s("rect", { x: ROLE.x + 12, y: py, width: ROLE.w - 24, height: 38, rx: 4, class: "profile" }),
        svgText(ROLE.x + 22, py + 15, "instance profile", "small"),
        svgText(ROLE.x + 22, py + 30, profile.name, "mono", 46),
      );
      from = { x: ROLE.x + ROLE.w - 12, y: py + 19 };
    }
    anchors[role.key] = from;
    desc.push(`${role.name} (${role.key}) is assumed by ${service}; managed policies: ${managed.join(", ") || "none"}${inline ? `; inline policy ${inline.name}` : ""}${profile ? `; instance profile ${profile.name}` : ""}.`);
    y += height + 18;
  }

  // Where the ARNs go.
  const edges = [];
  const job = anchors.batch_job;
  const consumers = [];
  if (job) {
    consumers.push({ ...CONSUMERS.s3_metaflow, y: job.y - 24, from: [job] });
    consumers.push({ ...CONSUMERS.ecr_unop, y: job.y + 28, from: [job] });
  }
  const batchLines = [];
  const batchFrom = [];
  if (anchors.batch_service) {
    batchLines.push("service_role = batch_service_role_arn");
    batchFrom.push(anchors.batch_service);
  }
  if (anchors.batch_instance) {
    batchLines.push("instance_role = batch_instance_profile_arn");
    batchFrom.push(anchors.batch_instance);
  }
  if (anchors.spot_fleet) {
    batchLines.push("spot_iam_fleet_role = spot_fleet_role_arn");
    batchFrom.push(anchors.spot_fleet);
  }
  if (batchFrom.length) {
    const mid = batchFrom.reduce((a, b) => a + b.y, 0) / batchFrom.length;
    consumers.push({ ...CONSUMERS.batch, lines: batchLines, y: mid - 10 - batchLines.length * 8, from: batchFrom });
  }
  for (const c of consumers) {
    const height = 28 + c.lines.length * LINE;
    const top = Math.max(8, c.y - 10);
    g.append(
      s("rect", { x: CONS.x, y: top, width: CONS.w, height, rx: 6, class: "consumer" }),
      svgText(CONS.x + 12, top + 19, c.label, "title", 38),
    );
    c.lines.forEach((line, i) => g.append(svgText(CONS.x + 12, top + 19 + (i + 1) * LINE, line, "mono small", 44)));
    for (const f of c.from) {
      const ty = top + Math.min(height - 8, Math.max(10, f.y - top));
      edges.push(s("path", {
        d: `M${f.x},${f.y} C${f.x + 40},${f.y} ${CONS.x - 44},${ty} ${CONS.x - 4},${ty}`,
        class: "edge arn",
        "marker-end": "url(#arrow)",
      }));
    }
    desc.push(`${c.label} takes ${c.lines.join(", ")}.`);
  }

  const height = Math.max(y, ...consumers.map((c) => c.y + 40 + c.lines.length * LINE)) + 4;
  const titleId = uid("svg-title");
  const descId = uid("svg-desc");
  const svg = s("svg", {
    viewBox: `0 0 ${W} ${height}`,
    width: W,
    height,
    role: "img",
    "aria-labelledby": `${titleId} ${descId}`,
    class: "roles-svg",
  },
    s("title", { id: titleId }, `The ${result.roles.length} roles of the module`),
    s("desc", { id: descId }, desc.join(" ")),
    s("defs", {},
      s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }))),
    svgText(SVC.x, 18, "trusted service", "head"),
    svgText(ROLE.x, 18, "role · managed (▪) and inline (✎) policies", "head"),
    svgText(CONS.x, 18, "where its ARN goes", "head"),
    edges,
    g,
  );
  $("picture").replaceChildren(svg);
}

// ---------------------------------------------------------------------------------------------
// State in the URL: #v1=<base64url(deflate-raw(JSON))>; older versions stay readable here.

function toBase64Url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const HASH_DECODERS = {
  v1: (payload) => JSON.parse(new TextDecoder().decode(inflateSync(fromBase64Url(payload)))),
};

/** Writes the state into the URL soon: typing is not slowed by history updates. The URL is
 *  current again 150 ms after the last change, and before the page is left or a link copied. */
let saveTimer = 0;
function saveState() {
  clearTimeout(saveTimer);
  document.body.dataset.saved = "false";
  saveTimer = setTimeout(saveNow, 150);
}

function saveNow() {
  clearTimeout(saveTimer);
  document.body.dataset.saved = "true";
  if (pageDiagnostics.raw?.length) return; // keep the last state that parsed
  const state = { i: inputs };
  const options = readOptions();
  if (Object.keys(options).length) state.o = options;
  const payload = toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(state)), { level: 9 }));
  const hash = `#v1=${payload}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
}

// A link pasted into the address bar of an open page changes only the hash.
addEventListener("hashchange", () => {
  for (const key of Object.keys(pageDiagnostics)) delete pageDiagnostics[key];
  if (!loadState()) return;
  renderForm();
  raw.value = pretty(inputs);
  update();
  saveNow();
});

addEventListener("pagehide", saveNow);
addEventListener("visibilitychange", () => document.visibilityState === "hidden" && saveNow());

function loadState() {
  const m = /^#(v\d+)=(.*)$/.exec(location.hash);
  if (!m) return false;
  const decode = HASH_DECODERS[m[1]];
  try {
    if (!decode) throw new Error(`unknown version ${m[1]}`);
    const state = decode(m[2]);
    if (!isPlainObject(state) || !("i" in state)) throw new Error("no inputs");
    inputs = state.i;
    writeOptions(isPlainObject(state.o) ? state.o : {});
    return true;
  } catch (err) {
    status(`The configuration in the link could not be read (${err.message}); showing the ${DEFAULT_PRESET} example.`);
    return false;
  }
}

function applyPreset(name, start) {
  inputs = structuredClone(PRESETS[name]);
  for (const key of Object.keys(pageDiagnostics)) delete pageDiagnostics[key];
  renderForm();
  raw.value = pretty(inputs);
  update(start);
  status(`Loaded the ${name} preset.`);
}

for (const button of document.querySelectorAll("[data-preset]")) {
  button.addEventListener("click", (e) => applyPreset(button.dataset.preset, e.timeStamp));
}

// ---------------------------------------------------------------------------------------------
// Start

async function start() {
  if (new URLSearchParams(location.search).get("embed") === "1") document.documentElement.classList.add("embed");
  try {
    await init();
  } catch (err) {
    $("loading").textContent = `The engine could not load: ${err.message}`;
    return;
  }
  performance.mark("engine-ready");
  $("version").textContent = version();
  $("loading").remove();
  if (!loadState()) writeOptions({});
  renderForm();
  raw.value = pretty(inputs);
  update();
  saveNow();
  document.body.dataset.ready = "true";
}

start();
