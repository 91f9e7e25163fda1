// Sign in (POST /api/v1/login): the same session as the agent console.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { explain, type ReviewSession } from "../api";

export function Login({ session }: { session: ReviewSession }): JSX.Element {
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!name.trim() || !password) {
      setError("Enter your login and password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await session.signIn(name.trim(), password);
    } catch (err) {
      setError(explain(err));
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <div class="brand brand-large"><span class="brand-mark" aria-hidden="true">A</span> Aisle</div>
        <h1 id="login-title">Sign in to review recordings</h1>
        <p class="muted">Replay conversations, annotate them and score them.</p>
        <label class="field">
          <span>Login</span>
          <input id="login-name" name="login" autocomplete="username" value={name} autoFocus
            onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Password</span>
          <input id="login-password" name="password" type="password" autocomplete="current-password"
            value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error ? <p class="form-error" role="alert">{error}</p> : null}
        <button class="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
