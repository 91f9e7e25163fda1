// The agent's profile: display name and photo (previewed before upload, checked here and by the
// server, whose refusals are shown as they are).
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { AgentInfo } from "../protocol.gen";
import { MAX_PHOTO_BYTES, PHOTO_TYPES, photoProblem } from "../net/photo";
import { Avatar } from "./Avatar";
import { useController } from "./hooks";

export function Profile({ me }: { me: AgentInfo }): JSX.Element {
  const c = useController();
  const [name, setName] = useState(me.display_name);
  const [nameMsg, setNameMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [photoMsg, setPhotoMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [undecodable, setUndecodable] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => () => {
    if (preview) URL.revokeObjectURL(preview);
  }, [preview]);

  const saveName = async (e: Event): Promise<void> => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setNameMsg({ ok: false, text: "Your name cannot be empty." });
      return;
    }
    const failed = await c.actions.updateProfile(trimmed);
    setNameMsg(failed ? { ok: false, text: failed } : { ok: true, text: "Saved. Visitors see this name." });
  };

  const pick = (e: Event): void => {
    const chosen = (e.currentTarget as HTMLInputElement).files?.[0] ?? null;
    setPhotoMsg(null);
    setFile(chosen);
    setPreview(null);
    setUndecodable(false);
    if (!chosen) return;
    const problem = photoProblem(chosen.type, chosen.size);
    if (problem) {
      setPhotoMsg({ ok: false, text: problem });
      return;
    }
    setPreview(URL.createObjectURL(chosen));
  };

  const upload = async (): Promise<void> => {
    if (!file) return;
    setBusy(true);
    const failed = await c.actions.uploadPhoto(file);
    setBusy(false);
    if (failed) {
      setPhotoMsg({ ok: false, text: failed });
      return;
    }
    setPhotoMsg({ ok: true, text: "Photo updated." });
    setFile(null);
    setPreview(null);
    if (input.current) input.current.value = "";
  };

  const problem = file ? photoProblem(file.type, file.size) : null;
  return (
    <div class="page">
      <div class="page-head"><div><h1>Your profile</h1><p class="muted">What visitors and colleagues see of you.</p></div></div>
      <div class="two-col">
        <section class="card form-card" aria-labelledby="photo-title">
          <h2 id="photo-title">Photo</h2>
          <div class="photo-row">
            <div class="photo-frame">
              {preview && !undecodable ? <img src={preview} alt="Preview of the new photo" data-testid="photo-preview"
                  onError={() => {
                    setUndecodable(true);
                    setPhotoMsg({ ok: false, text: "This file is not a valid image (it may only be named like one). Choose another." });
                  }} />
                : <Avatar name={me.display_name} photo={me.photo_url} size={96} />}
            </div>
            <div class="photo-side">
              <label class="btn btn-ghost file-btn">
                Choose image…
                <input ref={input} id="photo-input" type="file" accept={PHOTO_TYPES.join(",")} onChange={pick} class="visually-hidden" />
              </label>
              <p class="hint">PNG, JPEG or WebP, up to {(MAX_PHOTO_BYTES / 1_000_000).toFixed(0)} MB.</p>
              {file ? <p class="hint">{file.name} · {(file.size / 1024).toFixed(0)} KB</p> : null}
              <button type="button" class="btn btn-primary" id="photo-upload" onClick={() => void upload()} disabled={!file || busy || problem !== null || undecodable}>
                {busy ? "Uploading…" : "Upload photo"}
              </button>
            </div>
          </div>
          {photoMsg ? <p class={photoMsg.ok ? "form-ok" : "form-error"} role={photoMsg.ok ? "status" : "alert"} data-testid="photo-message">{photoMsg.text}</p> : null}
        </section>
        <form class="card form-card" onSubmit={saveName} aria-labelledby="name-title">
          <h2 id="name-title">Details</h2>
          <label class="field">
            <span>Display name</span>
            <input id="display-name" value={name} maxLength={80} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          {nameMsg ? <p class={nameMsg.ok ? "form-ok" : "form-error"} role={nameMsg.ok ? "status" : "alert"}>{nameMsg.text}</p> : null}
          <dl class="kv">
            <div class="kv-row"><dt>Login</dt><dd>{me.login}</dd></div>
            <div class="kv-row"><dt>Role</dt><dd>{me.role}</dd></div>
            <div class="kv-row"><dt>Teams</dt><dd>{me.teams.join(", ") || "—"}</dd></div>
            <div class="kv-row"><dt>Chats at once</dt><dd>{me.max_concurrent}</dd></div>
          </dl>
          <div class="form-actions"><button type="submit" class="btn btn-primary">Save</button></div>
        </form>
      </div>
    </div>
  );
}
