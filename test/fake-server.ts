import net from "node:net";

/** A scripted peer: what a hostile or broken XMPP server says, turn by turn, on a real socket. */
export interface Peer {
  socket: net.Socket;
  /** Everything read so far. */
  heard(): string;
  /** Resolves once `pattern` has been heard (bounded: rejects after `ms` or on close). */
  until(pattern: string | RegExp, ms?: number): Promise<string>;
  write(data: string | Buffer): void;
}

export const SERVER_HEADER = (id = "s1", extra = "version='1.0'") =>
  `<?xml version='1.0'?><stream:stream from='lab.example' id='${id}' ${extra} xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`;
export const STARTTLS_FEATURES = "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>";
export const mechanismFeatures = (...m: string[]) =>
  `<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${m.map((x) => `<mechanism>${x}</mechanism>`).join("")}</mechanisms></stream:features>`;

/** Listen on loopback; run `script` for every connection. Returns the port and a closer. */
export async function fakeServer(script: (peer: Peer) => Promise<void>): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    let text = "";
    const waiters = new Set<() => void>();
    socket.on("data", (d) => {
      text += d.toString("latin1");
      for (const w of [...waiters]) w();
    });
    socket.on("close", () => {
      for (const w of [...waiters]) w();
    });
    const peer: Peer = {
      socket,
      heard: () => text,
      until: (pattern, ms = 5000) =>
        new Promise((resolve, reject) => {
          const check = () => {
            const found = typeof pattern === "string" ? text.includes(pattern) : pattern.test(text);
            if (found) return done(() => resolve(text));
            if (socket.destroyed) return done(() => reject(new Error(`closed before ${pattern}`)));
          };
          const timer = setTimeout(() => done(() => reject(new Error(`never heard ${pattern}`))), ms);
          const done = (f: () => void) => {
            clearTimeout(timer);
            waiters.delete(check);
            f();
          };
          waiters.add(check);
          check();
        }),
      write: (data) => {
        if (!socket.destroyed) socket.write(data);
      },
    };
    script(peer).catch(() => socket.destroy());
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}
