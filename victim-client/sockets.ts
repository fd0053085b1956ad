import net from "node:net";
import tls from "node:tls";
import type { HostPort } from "../lab/core/net.js";
import { explainTlsError, handshakeDone, type KeyLog } from "../lab/core/tls.js";
import { LabError } from "../lab/core/errors.js";
import { refuse } from "./refusals.js";

import { formatHostPort as fmt } from "../lab/core/net.js";

/** A TCP connection, or CONNECT_FAILED, or TIMEOUT after `timeoutMs`. */
export function openTcp(hp: HostPort, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port: hp.port, host: hp.host, noDelay: true });
    // A listener that never completes the handshake (a full accept queue, a dropped SYN)
    // would otherwise leave alice waiting on the kernel's retries for minutes.
    const timer = setTimeout(() => {
      s.destroy();
      reject(refuse.timeout(`connecting to ${fmt(hp)}`, timeoutMs));
    }, timeoutMs);
    const onError = (err: Error) => {
      clearTimeout(timer);
      reject(refuse.connect(fmt(hp), err.message));
    };
    s.once("connect", () => {
      clearTimeout(timer);
      s.off("error", onError);
      resolve(s);
    });
    s.once("error", onError);
  });
}

/**
 * A finished TLS handshake - from the first byte (`host`/`port`) or over an existing socket
 * (`socket`, STARTTLS) - or the handshake's failure explained for a student, or TIMEOUT after
 * `timeoutMs` (a peer that never answers the ClientHello).
 */
export async function handshake(options: tls.ConnectionOptions, target: string, timeoutMs: number, keylog?: KeyLog): Promise<tls.TLSSocket> {
  const s = tls.connect(options);
  if (!options.socket) s.setNoDelay(true);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(refuse.timeout(`doing the TLS handshake with ${target}`, timeoutMs));
      s.destroy();
    }, timeoutMs);
  });
  try {
    return await Promise.race([handshakeDone(s, "secureConnect", keylog), deadline]);
  } catch (err) {
    if (err instanceof LabError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw e.code === "ECONNREFUSED" ? refuse.connect(target, e.message) : explainTlsError(e);
  } finally {
    clearTimeout(timer);
  }
}
