import { test } from "node:test";
import assert from "node:assert/strict";
import { fieldOf } from "./fields";
import { RequestError } from "./session";

const ACCOUNT = { login: /\bthe login\b/i, display_name: null };

test("the field a refusal is about: said by the server, by a schema error, or by its words", () => {
  const site = { name: null, origins: null };
  assert.equal(fieldOf(new RequestError("invalid_payload", "bad origin 'x'", 400, { field: "origins" }), site), "origins");
  assert.equal(fieldOf(new RequestError("invalid_payload", "bad", 400, { field: "hours" }), site), null,
    "a field the form does not have");
  assert.equal(fieldOf(new RequestError("invalid_payload", "the body does not match the schema", 400,
    { errors: [{ loc: "shortcut", msg: "too long" }] }), { shortcut: null, text: null }), "shortcut");
  assert.equal(fieldOf(new RequestError("conflict", "the login 'agent' is taken", 409), ACCOUNT), "login");
});

test("words count only for a refused value, and only when one field matches", () => {
  assert.equal(fieldOf(new RequestError("forbidden", "the login is not yours", 403), ACCOUNT), null);
  assert.equal(fieldOf(new RequestError("conflict", "this is the last admin", 409), ACCOUNT), null);
  assert.equal(fieldOf(new RequestError("conflict", "a b", 409), { a: /a/, b: /b/ }), null);
  assert.equal(fieldOf(new Error("the login"), ACCOUNT), null);
});
