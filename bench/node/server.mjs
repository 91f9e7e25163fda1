// The reference server for bench/signaling.py: Node socket.io 4.8 with its defaults
// (perMessageDeflate off), a `/bench` namespace with the same contract as Aisle's benchmark
// namespace (signaling/sockets/bench.py):
//   echo           acks its payload
//   join           puts the socket in a room (acks {ok: true})
//   send_message   the frames of Aisle's chat path with none of its work: numbers the message
//                  in memory, sends it as `message_created` to its conversation's room (the
//                  sender and the agent), then acks {ok: true, data: {seq}}
// Usage: node bench/node/server.mjs [port]   (0 or nothing: any free port)
// Prints {"port": n} once listening; exits when stdin closes.
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2] ?? 0);
const http = createServer();
const io = new Server(http, { transports: ["websocket"] });
const bench = io.of("/bench");
const lastSeq = new Map();
bench.on("connection", (socket) => {
  socket.on("echo", (data, ack) => ack(data));
  socket.on("join", (room, ack) => {
    socket.join(String(room));
    ack({ ok: true });
  });
  socket.on("send_message", ({ conversation_id, client_id, text }, ack) => {
    const seq = (lastSeq.get(conversation_id) ?? 0) + 1;
    lastSeq.set(conversation_id, seq);
    bench.to(conversation_id).emit("message_created", {
      conversation_id, seq, ts: Date.now(), type: "message_created",
      actor: { kind: "visitor", id: socket.id, name: null }, data: { client_id, text },
    });
    ack({ ok: true, data: { seq } });
  });
});
http.listen(port, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: http.address().port }) + "\n");
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
