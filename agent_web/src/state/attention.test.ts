import { test } from "node:test";
import assert from "node:assert/strict";
import { backgroundMessage, quoteStart } from "./attention";

test("a message in a chat out of sight is said with who wrote it and its start", () => {
  assert.equal(backgroundMessage("cnv_2", "cnv_1", "Cy", "Is it in stock?"),
    "New message from Cy (another chat): Is it in stock?");
  assert.equal(backgroundMessage("cnv_2", null, "Cy", "Hello"), "New message from Cy: Hello",
    "another view is open: no chat is in front");
  assert.equal(backgroundMessage("cnv_1", "cnv_1", "Cy", "Hello"), null, "the front chat's log says it");
});

test("the quote stops near 80 characters, at a word", () => {
  const long = "I ordered the blue teapot last week and the tracking page still says it is being prepared, why?";
  const said = quoteStart(long);
  assert.ok(said.length <= 81, said);
  assert.ok(said.endsWith("…"));
  assert.ok(long.startsWith(said.slice(0, -1)));
  assert.equal(quoteStart("two\nlines  here"), "two lines here");
  assert.equal(quoteStart("x".repeat(100)), `${"x".repeat(80)}…`, "no word to stop at");
});
