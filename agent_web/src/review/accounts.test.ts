import { test } from "node:test";
import assert from "node:assert/strict";
import type { Account, AccountList } from "../protocol.gen";
import { canManage, changesBetween, formOf, statusOf, withAccount } from "./accounts";

const account = (over: Partial<Account> = {}): Account => ({
  id: "agt_1", login: "kim", display_name: "Kim", photo_url: null, role: "agent",
  teams: ["support", "billing"], max_concurrent: 3, disabled: false, connected: false, ...over,
});

test("supervisors manage agents and trainers, and themselves", () => {
  const list: AccountList = { accounts: [], teams: [], manageable_roles: ["agent", "trainer"] };
  assert.equal(canManage(list, "agt_me", account()), true);
  assert.equal(canManage(list, "agt_me", account({ role: "trainer" })), true);
  assert.equal(canManage(list, "agt_me", account({ role: "admin" })), false);
  assert.equal(canManage(list, "agt_me", account({ id: "agt_me", role: "supervisor" })), true);
});

test("an account's status", () => {
  assert.equal(statusOf(account()), "offline");
  assert.equal(statusOf(account({ connected: true })), "online");
  assert.equal(statusOf(account({ connected: true, disabled: true })), "disabled");
});

test("an edit sends only what changed", () => {
  const a = account();
  assert.deepEqual(changesBetween(a, formOf(a)), {});
  // The same teams in another order, a name with spaces around it: nothing changed.
  assert.deepEqual(changesBetween(a, { ...formOf(a), teams: ["billing", "support"], display_name: " Kim " }), {});
  assert.deepEqual(changesBetween(a, { ...formOf(a), teams: ["sales"], max_concurrent: 5, role: "trainer" }),
                   { teams: ["sales"], max_concurrent: 5, role: "trainer" });
  assert.deepEqual(changesBetween(a, { ...formOf(a), display_name: "Kim L." }), { display_name: "Kim L." });
});

test("a changed account replaces the old one in place", () => {
  const list: AccountList = { accounts: [account(), account({ id: "agt_2", login: "lee" })], teams: [],
                              manageable_roles: ["agent"] };
  const next = withAccount(list, account({ disabled: true }));
  assert.deepEqual(next.accounts.map((a) => [a.id, a.disabled]), [["agt_1", true], ["agt_2", false]]);
});
