import net from "node:net";
import tls from "node:tls";
import type { HostPort } from "../lab/core/net.js";
import { explainTlsError, type KeyLog } from "../lab/core/tls.js";
import { refuse } from "./refusals.js";

export { formatHostPort as fmt } from "../lab/core/net.js";
import { formatHostPort as fmt } from "../lab/core/net.js";

/** A TCP connection, or CONNECT_FAILED. */
export function openTcp(hp: HostPort): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port: hp.port, host: hp.host, noDelay: true });
    s.once("connect", () => {
      s.off("error", reject);
      resolve(s);
    });
    s.once("error", (err) => reject(refuse.connect(fmt(hp), err.message)));
  });
}

/**
 * A finished TLS handshake - from the first byte (`host`/`port`) or over an existing socket
 * (`socket`, STARTTLS) - or the handshake's failure explained for a student.
 */
export function handshake(options: tls.ConnectionOptions, target: string, keylog?: KeyLog): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect(options);
    if (keylog) s.on("keylog", keylog);
    if (!options.socket) s.setNoDelay(true);
    s.once("secureConnect", () => {
      s.off("error", onError);
      resolve(s);
    });
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNREFUSED") reject(refuse.connect(target, err.message));
      else reject(explainTlsError(err));
    };
    s.once("error", onError);
  });
}
