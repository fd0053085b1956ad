import net from "node:net";
import { UsageError } from "./errors.js";

export interface HostPort {
  host: string;
  port: number;
}

/** "127.0.0.1:5222", "[::1]:5222" or ":5222" (loopback) into parts; throws UsageError. */
export function parseHostPort(text: string, flag: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text);
  if (!m) throw new UsageError(`${flag} wants HOST:PORT (for example 127.0.0.1:5222), got "${text}"`);
  const host = m[1] ?? (m[2] || "127.0.0.1");
  const port = Number(m[3]);
  if (port > 65535) throw new UsageError(`${flag}: port ${port} is out of range (0-65535)`);
  return { host, port };
}

/** "127.0.0.1:5222", or "[::1]:5222" for IPv6. */
export function formatHostPort(hp: HostPort): string {
  return hp.host.includes(":") ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}

export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (net.isIPv4(host)) return host.startsWith("127.");
  if (net.isIPv6(host)) return host === "::1" || host.startsWith("::ffff:127.");
  return false;
}

/** Safety (DESIGN §5): every listener and target is loopback unless the user says otherwise. */
export function assertLoopback(host: string, what: string, allowed: boolean): void {
  if (!allowed && !isLoopback(host)) {
    throw new UsageError(
      `${what} ${host} is not a loopback address; this is a teaching lab - pass --allow-non-loopback if you really mean it`,
    );
  }
}

/** Listen and resolve with the bound port; a busy port becomes one clear line. */
export function listen(server: net.Server, hp: HostPort): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (err.code === "EADDRINUSE") {
        reject(new UsageError(`${hp.host}:${hp.port} is already in use; pick another port or use port 0`));
      } else if (err.code === "EACCES") {
        reject(new UsageError(`not allowed to listen on ${hp.host}:${hp.port}; use a port above 1023`));
      } else reject(err);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve((server.address() as net.AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(hp.port, hp.host);
  });
}

export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}
