// js/boundary.js `buildResult` on tapes written by hand (the operations of src/tape.rs): an
// object of a listed struct shape is built by its literal, and one that only looks like it (same
// entry count and first key, other keys) is still read key by key, whatever was met before.
// result.test.mjs checks real results against the native serde_json snapshots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildResult } from "../js/boundary.js";

const [STRING, ARRAY, OBJECT, KEY, NEW_KEY, DYN_KEY] = [4, 5, 6, 7, 8, 9];

/** A tape over the text of `strings` (back to back); `words` makes its operations, given
 * `at(i)`: the start and end of string i. */
function tape(strings, words) {
  const offsets = [];
  let text = "";
  for (const s of strings) {
    offsets.push([text.length, text.length + s.length]);
    text += s;
  }
  const at = (i) => offsets[i];
  return [new TextEncoder().encode(text), Uint32Array.from(words(at))];
}

// Names 0..4: key, arn, address, other, also. Strings 5..7: values.
const STRINGS = ["key", "arn", "address", "other", "also", "k", "a", "b"];
const s = (at, i) => [STRING, ...at(i)];

test("an object of a listed shape, first met and then known, is the same plain object", () => {
  const names = [];
  const first = tape(STRINGS, (at) => [
    OBJECT, 3, NEW_KEY, 0, ...at(0), ...s(at, 5), NEW_KEY, 1, ...at(1), ...s(at, 6), NEW_KEY, 2, ...at(2), ...s(at, 7),
  ]);
  const again = tape(STRINGS, (at) => [
    ARRAY, 2,
    OBJECT, 3, KEY, 0, ...s(at, 5), KEY, 1, ...s(at, 6), KEY, 2, ...s(at, 7),
    OBJECT, 3, KEY, 0, ...s(at, 7), KEY, 1, ...s(at, 6), KEY, 2, ...s(at, 5),
  ]);
  assert.deepEqual(buildResult(names, ...first), { key: "k", arn: "a", address: "b" });
  const built = buildResult(names, ...again);
  assert.deepEqual(built, [{ key: "k", arn: "a", address: "b" }, { key: "b", arn: "a", address: "k" }]);
  assert.deepEqual(Object.keys(built[1]), ["key", "arn", "address"]);
  assert.equal(Object.getPrototypeOf(built[1]), Object.prototype);
});

test("an object that looks like a known shape but is not is read key by key", () => {
  const names = [];
  const define = tape(STRINGS, (at) => [
    ARRAY, 2,
    OBJECT, 3, NEW_KEY, 0, ...at(0), ...s(at, 5), NEW_KEY, 1, ...at(1), ...s(at, 6), NEW_KEY, 2, ...at(2), ...s(at, 7),
    OBJECT, 1, NEW_KEY, 3, ...at(3), ...s(at, 5), // names "other"
  ]);
  buildResult(names, ...define);
  // Met with known keys: its builder is kept from here on.
  const fit = tape(STRINGS, (at) => [OBJECT, 3, KEY, 0, ...s(at, 5), KEY, 1, ...s(at, 6), KEY, 2, ...s(at, 7)]);
  assert.deepEqual(buildResult(names, ...fit), { key: "k", arn: "a", address: "b" });
  // Same count and first key as {key, arn, address}; it differs at its second key, then at its
  // third, then by a map key, and holds a fitting object inside the one that does not fit.
  const misfits = tape([...STRINGS, "dyn"], (at) => [
    ARRAY, 4,
    OBJECT, 3, KEY, 0, ...s(at, 5), KEY, 3, ...s(at, 6), KEY, 2, ...s(at, 7),
    OBJECT, 3, KEY, 0, ...s(at, 5), KEY, 1, ...s(at, 6), NEW_KEY, 4, ...at(4), ...s(at, 7),
    OBJECT, 3, KEY, 0, ...s(at, 5), KEY, 1, ...s(at, 6), DYN_KEY, ...at(8), ...s(at, 7),
    OBJECT, 3, KEY, 0, ...s(at, 5),
    KEY, 3, OBJECT, 3, KEY, 0, ...s(at, 6), KEY, 1, ...s(at, 6), KEY, 2, ...s(at, 6),
    KEY, 2, ...s(at, 7),
  ]);
  assert.deepEqual(buildResult(names, ...misfits), [
    { key: "k", other: "a", address: "b" },
    { key: "k", arn: "a", also: "b" },
    { key: "k", arn: "a", dyn: "b" },
    { key: "k", other: { key: "a", arn: "a", address: "a" }, address: "b" },
  ]);
  // And the shape still builds what fits it.
  const fits = tape(STRINGS, (at) => [OBJECT, 3, KEY, 0, ...s(at, 7), KEY, 1, ...s(at, 7), KEY, 2, ...s(at, 7)]);
  assert.deepEqual(buildResult(names, ...fits), { key: "b", arn: "b", address: "b" });
});

test("a shape not listed, met first at a listed shape's count and first key, leaves it read key by key", () => {
  const names = [];
  const unlisted = tape(STRINGS, (at) => [
    OBJECT, 3, NEW_KEY, 0, ...at(0), ...s(at, 5), NEW_KEY, 3, ...at(3), ...s(at, 6), NEW_KEY, 4, ...at(4), ...s(at, 7),
  ]);
  assert.deepEqual(buildResult(names, ...unlisted), { key: "k", other: "a", also: "b" });
  const listed = tape(STRINGS, (at) => [
    OBJECT, 3, KEY, 0, ...s(at, 7), NEW_KEY, 1, ...at(1), ...s(at, 7), NEW_KEY, 2, ...at(2), ...s(at, 7),
  ]);
  assert.deepEqual(buildResult(names, ...listed), { key: "b", arn: "b", address: "b" });
});

test("each instance has shapes of its own: the same numbers can name other keys", () => {
  const [a, b] = [[], []];
  const keyArnAddress = tape(STRINGS, (at) => [
    OBJECT, 3, NEW_KEY, 0, ...at(0), ...s(at, 5), NEW_KEY, 1, ...at(1), ...s(at, 6), NEW_KEY, 2, ...at(2), ...s(at, 7),
  ]);
  const known = tape(STRINGS, (at) => [OBJECT, 3, KEY, 0, ...s(at, 5), KEY, 1, ...s(at, 6), KEY, 2, ...s(at, 7)]);
  buildResult(a, ...keyArnAddress);
  buildResult(a, ...known);
  // Instance b numbers "key", "other", "also" 0, 1, 2.
  const otherNames = tape(STRINGS, (at) => [
    OBJECT, 3, NEW_KEY, 0, ...at(0), ...s(at, 5), NEW_KEY, 1, ...at(3), ...s(at, 6), NEW_KEY, 2, ...at(4), ...s(at, 7),
  ]);
  assert.deepEqual(buildResult(b, ...otherNames), { key: "k", other: "a", also: "b" });
  const again = tape(STRINGS, (at) => [OBJECT, 3, KEY, 0, ...s(at, 5), KEY, 1, ...s(at, 6), KEY, 2, ...s(at, 7)]);
  assert.deepEqual(buildResult(b, ...again), { key: "k", other: "a", also: "b" });
  assert.deepEqual(buildResult(a, ...again), { key: "k", arn: "a", address: "b" });
});

test("a joined string is its parts, kept texts and strings, in order", () => {
  const JOINED = 12;
  const names = [];
  // "key" (kept: numbered now, then known) + "k" + "also" (kept) ; then the same with the kept
  // texts known, and a joined string of no parts.
  const first = tape(STRINGS, (at) => [
    ARRAY, 2,
    JOINED, 3, NEW_KEY, 0, ...at(0), ...s(at, 5), NEW_KEY, 1, ...at(4),
    JOINED, 0,
  ]);
  assert.deepEqual(buildResult(names, ...first), ["keykalso", ""]);
  const again = tape(STRINGS, (at) => [JOINED, 4, KEY, 1, ...s(at, 6), KEY, 0, ...s(at, 7)]);
  assert.equal(buildResult(names, ...again), "alsoakeyb");
});

test("a document is a new copy each time, `__proto__` keys holding objects staying own keys", () => {
  const RAW = 10;
  const json = '{"__proto__":{"a":[1,{"b":"c"}]},"d":[{"e":null}],"f":"g"}';
  const read = () => buildResult([], ...tape([json], (at) => [RAW, ...at(0)]));
  const [first, second] = [read(), read()];
  for (const doc of [first, second]) {
    assert.deepStrictEqual(doc, JSON.parse(json));
    assert.equal(Object.getPrototypeOf(doc), Object.prototype);
    assert.ok(Object.hasOwn(doc, "__proto__"));
    assert.deepEqual(Object.keys(doc), ["__proto__", "d", "f"]);
  }
  // No object is shared between the copies, at any depth.
  assert.notEqual(first["__proto__"], second["__proto__"]);
  assert.notEqual(first["__proto__"].a, second["__proto__"].a);
  assert.notEqual(first["__proto__"].a[1], second["__proto__"].a[1]);
  assert.notEqual(first.d[0], second.d[0]);
  first["__proto__"].a[1].b = "changed";
  assert.equal(read()["__proto__"].a[1].b, "c");
});
