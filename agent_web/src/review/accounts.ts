// The Team page's rules (pure): whose account the signed-in manager may change, what an
// account's line says, and which fields an edit changed.
import type { Account, AccountChanges, AccountList } from "../protocol.gen";

export type RoleName = Account["role"];

export const ROLE_LABELS: Record<RoleName, string> = {
  agent: "Agent", trainer: "Trainer", supervisor: "Supervisor", admin: "Admin",
};

/** The manager may change this account (their own: everything but role and disabling). */
export function canManage(list: AccountList, meId: string, account: Account): boolean {
  return account.id === meId || list.manageable_roles.includes(account.role);
}

export function statusOf(account: Account): "disabled" | "online" | "offline" {
  if (account.disabled) return "disabled";
  return account.connected ? "online" : "offline";
}

export interface AccountForm {
  display_name: string;
  role: RoleName;
  teams: string[];
  max_concurrent: number;
}

export function formOf(account: Account): AccountForm {
  return { display_name: account.display_name, role: account.role, teams: [...account.teams],
           max_concurrent: account.max_concurrent };
}

/** Only the fields the edit changed (the server changes only what is given). */
export function changesBetween(account: Account, form: AccountForm): AccountChanges {
  const changes: AccountChanges = {};
  const name = form.display_name.trim();
  if (name !== account.display_name) changes.display_name = name;
  if (form.role !== account.role) changes.role = form.role;
  const sorted = [...form.teams].sort();
  if (sorted.join("\n") !== [...account.teams].sort().join("\n")) changes.teams = sorted;
  if (form.max_concurrent !== account.max_concurrent) changes.max_concurrent = form.max_concurrent;
  return changes;
}

/** The accounts with one replaced (after a change), in the server's order. */
export function withAccount(list: AccountList, account: Account): AccountList {
  return { ...list, accounts: list.accounts.map((a) => (a.id === account.id ? account : a)) };
}
