// A store visitor driven by the official socket.io-client, for tests/integration/test_node_interop.py.
// Usage: node tests/node/visitor.mjs <server url> <origin>
// Reads one JSON command per line on stdin; writes one JSON object per line on stdout:
//   {"cmd":"session", "id":n, "body":{...}}            -> {"id":n, "status":…, "body":…}  (fetch)
//   {"cmd":"connect", "id":n, "token":"…"}             -> {"id":n, "connected":true, "sid":…}
//                                                          or {"id":n, "connect_error":{message, data}}
//   {"cmd":"emit", "id":n, "event":"…", "payload":{…}} -> {"id":n, "ack":{…}}  (emitWithAck)
//   {"cmd":"disconnect", "id":n}                       -> {"id":n, "disconnected":"…"}
//   {"cmd":"exit"}                                     -> exits 0
// Every event the server sends is written as {"event":"…", "data":…}; failures as {"fatal":"…"}.
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

const [url, origin] = process.argv.slice(2);
const ACK_TIMEOUT_MS = 5000;
let socket = null;

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

function connect(id, token) {
  if (socket === null) {
    socket = io(`${url}/visitor`, {
      transports: ["websocket"],
      auth: { token },
      extraHeaders: { Origin: origin },
      reconnection: false,
      timeout: ACK_TIMEOUT_MS,
    });
    socket.onAny((event, data) => out({ event, data }));
  } else {
    socket.auth = { token };
    socket.connect();
  }
  const onConnect = () => {
    socket.off("connect_error", onError);
    out({ id, connected: true, sid: socket.id });
  };
  const onError = (err) => {
    socket.off("connect", onConnect);
    out({ id, connect_error: { message: err.message, data: err.data ?? null } });
  };
  socket.once("connect", onConnect);
  socket.once("connect_error", onError);
}

async function handle(cmd) {
  switch (cmd.cmd) {
    case "session": {
      const resp = await fetch(`${url}/api/v1/visitor-sessions`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: origin },
        body: JSON.stringify(cmd.body),
      });
      out({ id: cmd.id, status: resp.status, cors: resp.headers.get("access-control-allow-origin"),
            body: await resp.json() });
      return;
    }
    case "connect":
      connect(cmd.id, cmd.token);
      return;
    case "emit": {
      const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(cmd.event, cmd.payload);
      out({ id: cmd.id, ack });
      return;
    }
    case "disconnect":
      socket.once("disconnect", (reason) => out({ id: cmd.id, disconnected: reason }));
      socket.disconnect();
      return;
    case "exit":
      socket?.disconnect();
      process.exit(0);
    default:
      throw new Error(`unknown command ${cmd.cmd}`);
  }
}

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch (err) {
    out({ fatal: `bad command: ${line}` });
    return;
  }
  handle(cmd).catch((err) => out({ id: cmd.id, fatal: String(err?.stack ?? err) }));
});
// The test closing our stdin (or dying) ends us too.
lines.on("close", () => {
  socket?.disconnect();
  process.exit(0);
});
