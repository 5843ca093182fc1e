// The picture of the role set: an inline SVG of which service each role trusts, its policies,
// and where its ARN goes (the seed's "Integration with Other Modules").
//
// It is redrawn only when what it shows changes: the facts it draws are gathered first, and
// when they are the same as last time (an edit of a policy statement's text, say) the SVG
// stays as it is. When only names changed (typing the name prefix) the shapes stay too and
// only the names' texts are replaced.
import { $, h, s, uid } from "./dom.js";

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

/** What the picture shows: its facts as text (`key`), the same without the names (`shape`),
 *  and the elements that show names. */
let drawn = null;

/** Shows the picture of `lastGood` (`{ result, options }`), or a note when there is none. */
export function showPicture(lastGood) {
  if (!lastGood) {
    if (drawn?.key !== "") $("picture").replaceChildren(h("p", { class: "empty", text: "No result yet: fix the errors listed under Diagnostics." }));
    drawn = { key: "" };
    return;
  }
  const roles = facts(lastGood);
  const key = JSON.stringify(roles);
  if (key === drawn?.key) return;
  // The facts without the names, which change with the name prefix.
  const shape = JSON.stringify(roles.map((r) => ({
    ...r,
    name: null,
    profile: r.profile === null ? null : "",
    inline: r.inline && { ...r.inline, name: null },
  })));
  if (shape === drawn?.shape) {
    // The same shapes: only the names change.
    roles.forEach((role, i) => {
      const { title, profile, inline } = drawn.names[i];
      setText(title, role.name, TITLE_CHARS);
      if (role.profile !== null) setText(profile, role.profile, PROFILE_CHARS);
      if (role.inline) setText(inline, inlineLine(role.inline), LINE_CHARS);
    });
    drawn.desc.textContent = [...roles.map(roleDescription), ...drawn.consumers].join(" ");
    drawn.key = key;
    return;
  }
  const picture = draw(roles);
  drawn = { key, shape, ...picture };
  $("picture").replaceChildren(picture.svg);
}

/** What the picture shows of each role. */
function facts({ result, options }) {
  const partition = options.partition ?? "aws";
  return result.roles.map((role) => ({
    key: role.key,
    name: role.name,
    service: serviceOf(role, partition),
    managed: role.managed_policy_arns.map((a) => a.arn.replace(/^arn:[^:]*:iam::[^:]*:policy\//, "")),
    inline: role.inline_policy
      ? { name: role.inline_policy.name, count: Array.isArray(role.inline_policy.document?.Statement) ? role.inline_policy.document.Statement.length : null }
      : null,
    profile: role.instance_profile ? role.instance_profile.name : null,
  }));
}

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

/** Characters of a role's name and of an instance profile's name shown (the rest as a
 *  tooltip). */
const TITLE_CHARS = 44;
const PROFILE_CHARS = 46;
/** Characters of a policy line inside a role's box. */
const LINE_CHARS = 50;

const inlineLine = (inline) => `✎ inline ${inline.name}${inline.count == null ? "" : ` (${inline.count} stmt)`}`;

function svgText(x, y, text, cls, chars) {
  const el = s("text", { x, y, class: cls });
  setText(el, text, chars);
  return el;
}

/** Shows `text` in the SVG text `el`, cut to `chars` with the whole as its tooltip. */
function setText(el, text, chars) {
  const shown = chars ? fit(text, chars) : text;
  el.replaceChildren(shown);
  if (shown !== text) el.append(s("title", {}, text));
}

/** The text description of a role (the SVG's `desc`, for screen readers). */
function roleDescription({ name, key, service, managed, inline, profile }) {
  return `${name} (${key}) is assumed by ${service}; managed policies: ${managed.join(", ") || "none"}${inline ? `; inline policy ${inline.name}` : ""}${profile ? `; instance profile ${profile}` : ""}.`;
}

/** The SVG of `roles` (from `facts`), with the elements showing names and the description. */
function draw(roles) {
  const W = 1050;
  const SVC = { x: 8, w: 192 };
  const ROLE = { x: 276, w: 380 };
  const CONS = { x: 730, w: 312 };
  const LINE = 17;
  const g = s("g", {});
  const names = [];
  const consumerDescriptions = [];
  let y = 34;
  const anchors = {};

  for (const role of roles) {
    const { managed, inline, profile, service } = role;
    const lines = managed.length + (inline ? 1 : 0);
    const height = 48 + lines * LINE + (profile ? 46 : 0) + 8;

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
    const roleTitle = svgText(ROLE.x + 12, y + 20, role.name, "title", TITLE_CHARS);
    let profileText = null;
    g.append(
      s("rect", { x: ROLE.x, y, width: ROLE.w, height, rx: 6, class: `role role-${role.key}`, "data-role": role.key }),
      roleTitle,
      svgText(ROLE.x + 12, y + 37, `${role.key} · ${managed.length} managed${inline ? " · inline" : ""}`, "small"),
    );
    let ly = y + 37 + LINE;
    for (const m of managed) {
      g.append(svgText(ROLE.x + 20, ly, `▪ ${m}`, "mono role-line", LINE_CHARS));
      ly += LINE;
    }
    let inlineText = null;
    if (inline) {
      g.append((inlineText = svgText(ROLE.x + 20, ly, inlineLine(inline), "mono role-line", LINE_CHARS)));
      ly += LINE;
    }
    let from = { x: ROLE.x + ROLE.w, y: y + 20 };
    if (profile) {
      const py = ly - 6;
      g.append(
        s("rect", { x: ROLE.x + 12, y: py, width: ROLE.w - 24, height: 38, rx: 4, class: "profile" }),
        svgText(ROLE.x + 22, py + 15, "instance profile", "small"),
        (profileText = svgText(ROLE.x + 22, py + 30, profile, "mono", PROFILE_CHARS)),
      );
      from = { x: ROLE.x + ROLE.w - 12, y: py + 19 };
    }
    anchors[role.key] = from;
    names.push({ title: roleTitle, profile: profileText, inline: inlineText });
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
    consumerDescriptions.push(`${c.label} takes ${c.lines.join(", ")}.`);
  }

  const height = Math.max(y, ...consumers.map((c) => c.y + 40 + c.lines.length * LINE)) + 4;
  const titleId = uid("svg-title");
  const descId = uid("svg-desc");
  const desc = s("desc", { id: descId }, [...roles.map(roleDescription), ...consumerDescriptions].join(" "));
  const svg = s("svg", {
    viewBox: `0 0 ${W} ${height}`,
    width: W,
    height,
    role: "img",
    "aria-labelledby": `${titleId} ${descId}`,
    class: "roles-svg",
  },
    s("title", { id: titleId }, `The ${roles.length} roles of the module`),
    desc,
    s("defs", {},
      s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }))),
    svgText(SVC.x, 18, "trusted service", "head"),
    svgText(ROLE.x, 18, "role · managed (▪) and inline (✎) policies", "head"),
    svgText(CONS.x, 18, "where its ARN goes", "head"),
    edges,
    g,
  );
  return { svg, names, desc, consumers: consumerDescriptions };
}

