// The agent console's entry point (served at /agent/).
import { render } from "preact";
import { Controller } from "./console/controller";
import { App } from "./ui/App";
import { ControllerContext } from "./ui/hooks";

const controller = new Controller();
try {
  controller.chime.muted = localStorage.getItem("aisle.console.muted") === "1";
} catch {
  // Storage blocked: sounds stay on.
}
const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<ControllerContext.Provider value={controller}><App /></ControllerContext.Provider>, root);
}
controller.start();
