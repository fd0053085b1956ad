// The cheapest relay Node can do - pipe() both ways, no parsing, no events - as the floor
// that mallory's byte relay is compared with (bench/relay-throughput.ts).
import net from "node:net";
const up = Number(process.argv[2]);
const srv = net.createServer((c) => { const u = net.connect(up, "127.0.0.1"); c.pipe(u); u.pipe(c); c.on("error", () => {}); u.on("error", () => {}); });
srv.listen(0, "127.0.0.1", () => console.log(`listening on port ${srv.address().port}`));
