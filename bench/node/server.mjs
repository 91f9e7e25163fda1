// The reference server for bench/signaling.py: Node socket.io 4.8 with its defaults
// (perMessageDeflate off), a `/bench` namespace whose `echo` event acks its payload, the same
// contract as Aisle's benchmark namespace (signaling/sockets/bench.py).
// Usage: node bench/node/server.mjs [port]   (0 or nothing: any free port)
// Prints {"port": n} once listening; exits when stdin closes.
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2] ?? 0);
const http = createServer();
const io = new Server(http, { transports: ["websocket"] });
io.of("/bench").on("connection", (socket) => {
  socket.on("echo", (data, ack) => ack(data));
});
http.listen(port, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: http.address().port }) + "\n");
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
