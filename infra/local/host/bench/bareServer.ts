/**
 * The baseline for `npm run bench:host`: a bare node:http server doing what the benchmark's
 * HTTP function does (answer `{"ok":true}` as JSON), in a process of its own like the host.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const body = JSON.stringify({ ok: true });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  process.send?.({ type: "ready", port: (server.address() as AddressInfo).port });
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
