import net from "node:net";
import { attackerProcess, listenSink } from "./lib.js";

const HEADER = "<?xml version='1.0'?><stream:stream to='lab.example' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
const SERVER_OPEN =
  "<?xml version='1.0'?><stream:stream from='lab.example' id='b' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" +
  "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-256</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>";

/**
 * Message stanzas per second through mallory with strip-starttls, strip-mechanisms, loot and
 * tamper active. Every message carries an IBAN, so every one is parsed, looted and rewritten:
 * the worst case. Also the same stream through mallory with only `observe` (parse, forward raw).
 */
export async function stanzaRate(n = 200_000, tactics = "strip-starttls,strip-mechanisms,loot,tamper", flags: string[] = []): Promise<{ perSecond: number; rssMb: number; rewritten: boolean }> {
  let counted = 0;
  let tail = "";
  let sawRewrite = false;
  let finished: (() => void) | null = null;
  const sink = await listenSink((s) => {
    s.write(SERVER_OPEN);
    s.setEncoding("utf8");
    s.on("data", (d: string) => {
      const text = tail + d;
      let i = text.indexOf("</message>");
      let last = -1;
      while (i >= 0) {
        counted++;
        last = i;
        i = text.indexOf("</message>", i + 10);
      }
      if (!sawRewrite && text.includes("GB33 BUKB")) sawRewrite = true;
      tail = last >= 0 ? text.slice(last + 10) : text.slice(-16);
      if (counted >= n) finished?.();
    });
    s.on("error", () => {});
  });
  const mallory = await attackerProcess(sink.port, tactics, flags);
  const c = net.connect(mallory.port, "127.0.0.1");
  c.setNoDelay(true);
  await new Promise<void>((r) => c.once("connect", () => r()));
  c.write(HEADER);
  // Wait for the (stripped) features, as a client would.
  await new Promise<void>((r) => c.once("data", () => r()));
  const msg = (i: number) => `<message to='bob@lab.example' type='chat' id='m${i}'><body>Please wire 100 EUR to DE89 3704 0044 0532 0130 00</body></message>`;
  const batch = 500;
  const done = new Promise<void>((r) => (finished = r));
  const t0 = performance.now();
  let i = 0;
  const pump = () => {
    while (i < n) {
      let s = "";
      for (let k = 0; k < batch && i < n; k++) s += msg(i++);
      if (!c.write(s)) return void c.once("drain", pump);
    }
  };
  pump();
  await done;
  const perSecond = n / ((performance.now() - t0) / 1000);
  const rssMb = mallory.peakRssMb();
  c.destroy();
  await mallory.stop();
  sink.close();
  return { perSecond, rssMb, rewritten: sawRewrite };
}
