// aisle.js: the store-side widget. Embedded with one tag,
//   <script src="https://AISLE_HOST/aisle.js" data-site="SITE_KEY" async></script>
// it installs window.Aisle, replays calls queued before it loaded, draws the launcher in a
// shadow root and starts the session. It never throws into the page and never logs.

import { Api, isInstalled } from "./api";
import { Controller } from "./controller";
import { findEmbed } from "./embed";
import { forgetSite } from "./storage";
import { mount } from "./ui/mount";

function install(): void {
  const w = window as unknown as { Aisle?: unknown };
  if (isInstalled(w.Aisle)) return; // included twice: the first copy runs the widget
  const embed = findEmbed(document);
  if (!embed) return;
  const queued = (w.Aisle as { q?: unknown } | undefined)?.q;
  const api = new Api();
  w.Aisle = api.handle;
  const boot = () => {
    const controller = new Controller(embed, api.emit);
    const unmount = mount(controller);
    api.attach(controller);
    return { controller, unmount };
  };
  let widget = boot();
  api.resetWith = () => {
    const old = widget;
    void (async () => {
      await old.controller.endForReset();
      old.controller.destroy();
      old.unmount();
      forgetSite(embed.siteKey);
      api.emit("close");
      widget = boot();
      await widget.controller.start();
    })().catch(() => undefined);
  };
  api.replay(queued);
  void widget.controller.start().catch(() => undefined);
}

try {
  install();
} catch {
  // A broken widget must never break the store's page.
}
