// The load generator for bench/signaling.py: groups of official socket.io-client connections,
// each client in a closed loop (emit with ack, wait for the ack, emit again).
// Usage: node bench/node/load.mjs   then one JSON command per line on stdin, one JSON reply per
// line on stdout (errors as {"error": "…"}):
//   {"cmd":"echo_setup","group":g,"url":u,"clients":n}
//       n sockets on u/bench, acking `echo`                              -> {"group":g,"ready":n}
//   {"cmd":"chat_setup","group":g,"url":u,"clients":n,"login":l,"password":p,"topic":t,"site_key":k}
//       an agent socket (login l) and n visitors, each in a conversation the agent has
//       accepted; the agent counts the visitors' messages it receives  -> {"group":g,"ready":n}
//   {"cmd":"relay_setup","group":g,"url":u,"clients":n}
//       the chat group's sockets on u/bench instead: n visitors, each in a room of its own that
//       one agent socket joins too, sending `send_message` as the chat group does; the agent
//       counts the messages it receives                              -> {"group":g,"ready":n}
//   {"cmd":"run","group":g,"warmup":s,"seconds":s}
//       closed loop on every client of g; operations *sent* inside the measured window count
//       -> {"group":g,"acks":…,"seconds":…,"hist":{"<µs bucket>":count},"errors":…,
//           "first_error":…,"stalled":…,"delivered":…,"delivery_hist":{…},"dropped":[…],"cpu":…}
//       (cpu: the generator's own CPU over the measured window, in cores)
//   {"cmd":"exit"}
import { createInterface } from "node:readline";
import { performance } from "node:perf_hooks";
import { io } from "socket.io-client";

const BUCKET_US = 10; // latency histogram resolution
const DRAIN_TIMEOUT_MS = 5000;
const groups = new Map();
// Client ids stay unique across runs: a repeated one would be an idempotent retry.
let sent = 0;

const out = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

// Sockets that dropped (a run's figures are suspect if any did).
const dropped = [];

function connect(url, namespace, opts = {}) {
  return new Promise((resolve, reject) => {
    // forceNew: one connection per client (io() would multiplex sockets on one Manager).
    const socket = io(`${url}${namespace}`, {
      transports: ["websocket"], forceNew: true, reconnection: false, ...opts,
    });
    socket.once("connect", () => {
      socket.on("disconnect", (reason) => {
        if (reason !== "io client disconnect") dropped.push(`${namespace}: ${reason}`);
      });
      resolve(socket);
    });
    socket.once("connect_error", (err) => reject(new Error(`${namespace}: ${err.message}`)));
  });
}

function ask(socket, event, payload) {
  return socket.timeout(10000).emitWithAck(event, payload).then((ack) => {
    if (!ack?.ok) throw new Error(`${event}: ${JSON.stringify(ack)}`);
    return ack.data;
  });
}

// The chat message both paths carry (~100 bytes of JSON, like a real one); the send time rides
// in the text so the agent side can measure delivery.
function message(conversationId, clientId, now) {
  return { conversation_id: conversationId, client_id: clientId,
           text: `Where is my parcel? It was due on Monday. #${now.toFixed(3)}` };
}

async function echoSetup({ group, url, clients }) {
  const sockets = await Promise.all(Array.from({ length: clients }, () => connect(url, "/bench")));
  groups.set(group, {
    event: "echo",
    clients: sockets.map((socket, i) => ({ socket, conversationId: "cnv_bench_echo_000000000000", i })),
    ok: (ack, sent) => ack?.client_id === sent.client_id,
  });
  return { group, ready: sockets.length };
}

// A group whose clients send chat messages to an agent socket that counts what reaches it.
function chatState(agent) {
  const state = { event: "send_message", clients: [], agent, recording: null,
                  ok: (ack) => ack?.ok === true };
  // Delivery: the agent's copy of each visitor message, by the time it was sent.
  agent.on("message_created", (event) => {
    const rec = state.recording;
    if (rec === null || event.actor.kind !== "visitor") return;
    const text = event.data.text;
    const sent = Number(text.slice(text.lastIndexOf("#") + 1));
    if (sent >= rec.start && sent <= rec.end) {  // sent < end, rounded up to it at most
      rec.delivered += 1;
      bump(rec.deliveryHist, (performance.now() - sent) * 1000);
    }
  });
  return state;
}

async function relaySetup({ group, url, clients }) {
  const agent = await connect(url, "/bench");
  const state = chatState(agent);
  for (let i = 0; i < clients; i++) {
    const socket = await connect(url, "/bench");
    const room = `cnv_relay_${String(i).padStart(12, "0")}`;
    await ask(socket, "join", room);
    await ask(agent, "join", room);
    state.clients.push({ socket, conversationId: room, i });
  }
  groups.set(group, state);
  return { group, ready: state.clients.length };
}

async function chatSetup({ group, url, clients, login, password, topic, site_key }) {
  const resp = await fetch(`${url}/api/v1/login`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ login, password }),
  });
  if (resp.status !== 200) throw new Error(`login: ${resp.status} ${await resp.text()}`);
  const { token: agentToken } = await resp.json();
  const agent = await connect(url, "/agent", { auth: { token: agentToken } });
  await ask(agent, "set_status", { status: "online" });
  agent.on("offer_received", ({ conversation }) => {
    ask(agent, "accept_offer", { conversation_id: conversation.id })
      .catch((err) => out({ error: String(err) }));
  });
  const state = chatState(agent);
  for (let i = 0; i < clients; i++) {
    const session = await fetch(`${url}/api/v1/visitor-sessions`, {
      method: "POST", headers: { "Content-Type": "application/json", Origin: url },
      body: JSON.stringify({ site_key }),
    });
    if (session.status !== 200) throw new Error(`visitor session: ${session.status}`);
    const { token } = await session.json();
    const socket = await connect(url, "/visitor", { auth: { token }, extraHeaders: { Origin: url } });
    // The visitor is in its conversation's room from start_conversation on.
    const joined = new Promise((resolve) => socket.on("agent_joined", resolve));
    const conv = await ask(socket, "start_conversation", {
      topic, client_id: `bench-start-${i}`, message: "Hello, a question about my order" });
    await Promise.race([joined, new Promise((_, reject) => setTimeout(
      () => reject(new Error(`conversation ${conv.id} was not accepted`)), 10000))]);
    socket.off("agent_joined");
    state.clients.push({ socket, conversationId: conv.id, i });
  }
  groups.set(group, state);
  return { group, ready: state.clients.length };
}

function bump(hist, us) {
  const b = Math.floor(us / BUCKET_US) * BUCKET_US;
  hist[b] = (hist[b] ?? 0) + 1;
}

function run({ group, warmup, seconds }) {
  const state = groups.get(group);
  if (!state) throw new Error(`no group ${group}`);
  const t0 = performance.now();
  // On the grid of the send times the messages carry (µs, `toFixed(3)` of ms), so that a
  // message's rounded time falls inside the window exactly when its send time does.
  const onGrid = (ms) => Math.round(ms * 1000) / 1000;
  const rec = { start: onGrid(t0 + warmup * 1000), end: onGrid(t0 + (warmup + seconds) * 1000), acks: 0,
                errors: 0, firstError: null, hist: {}, delivered: 0, deliveryHist: {} };
  state.recording = rec;
  let outstanding = 0;
  let cpuStart = null;
  let cpuWallStart = null;
  return new Promise((resolve) => {
    let finished = false;
    const finish = (stalled) => {
      if (finished) return;
      finished = true;
      const cpu = process.cpuUsage(cpuStart);
      const cpuWall = (performance.now() - cpuWallStart) / 1000;
      const done = () => {
        state.recording = null;
        resolve({ group, acks: rec.acks, seconds, hist: rec.hist, errors: rec.errors,
                  first_error: rec.firstError, stalled, delivered: state.agent ? rec.delivered : null,
                  delivery_hist: rec.deliveryHist, dropped: dropped.splice(0),
                  cpu: (cpu.user + cpu.system) / 1e6 / cpuWall });
      };
      if (!state.agent) return done();
      // Deliveries trail their acks by a little: wait for them (bounded).
      const deadline = performance.now() + DRAIN_TIMEOUT_MS;
      const poll = () => (rec.delivered >= rec.acks || performance.now() > deadline
        ? done() : setTimeout(poll, 5));
      poll();
    };
    const drainTimer = setTimeout(() => finish(outstanding), (warmup + seconds) * 1000 + DRAIN_TIMEOUT_MS);
    setTimeout(() => {
      cpuStart = process.cpuUsage();
      cpuWallStart = performance.now();
    }, warmup * 1000);
    const loop = (client) => {
      const sentAt = performance.now();
      if (sentAt >= rec.end) {
        if (outstanding === 0) { clearTimeout(drainTimer); finish(0); }
        return;
      }
      const payload = message(client.conversationId, `b${client.i}-${sent++}`, sentAt);
      outstanding += 1;
      client.socket.emit(state.event, payload, (ack) => {
        outstanding -= 1;
        if (sentAt >= rec.start) {
          if (state.ok(ack, payload)) {
            rec.acks += 1;
            bump(rec.hist, (performance.now() - sentAt) * 1000);
          } else {
            rec.errors += 1;
            rec.firstError ??= ack;
          }
        }
        loop(client);
      });
    };
    for (const client of state.clients) loop(client);
  });
}

const commands = { echo_setup: echoSetup, chat_setup: chatSetup, relay_setup: relaySetup, run };
const lines = createInterface({ input: process.stdin });
// One command at a time: a run must not overlap the next setup or run.
let queue = Promise.resolve();
lines.on("line", (line) => {
  queue = queue.then(async () => {
    const cmd = JSON.parse(line);
    if (cmd.cmd === "exit") process.exit(0);
    const handler = commands[cmd.cmd];
    if (!handler) throw new Error(`unknown command ${cmd.cmd}`);
    out(await handler(cmd));
  }).catch((err) => out({ error: String(err?.stack ?? err) }));
});
lines.on("close", () => process.exit(0));
