// aisle-call.js: the call engine (WebRTC connection, devices, negotiation, rebuilds), loaded by
// aisle.js only when this page takes part in a call. Leaves its factory where lazy.ts looks.

import { CallController } from "./controller";
import { ENGINE_KEY, type EngineFactory } from "./engine";

const factory: EngineFactory = (options) => new CallController(options);
(window as unknown as Record<symbol, unknown>)[ENGINE_KEY] = factory;
