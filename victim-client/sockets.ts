import net from "node:net";
import tls from "node:tls";
import type { HostPort } from "../lab/core/net.js";
import { explainTlsError, handshakeDone, type KeyLog } from "../lab/core/tls.js";
import { refuse } from "./refusals.js";

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
export async function handshake(options: tls.ConnectionOptions, target: string, keylog?: KeyLog): Promise<tls.TLSSocket> {
  const s = tls.connect(options);
  if (!options.socket) s.setNoDelay(true);
  try {
    return await handshakeDone(s, "secureConnect", keylog);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw e.code === "ECONNREFUSED" ? refuse.connect(target, e.message) : explainTlsError(e);
  }
}
