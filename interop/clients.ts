import path from "node:path";
import { BIN, proc, type Proc, SLIX } from "./helpers.js";

const XMPPJS = path.join(path.dirname(SLIX), "xmppjs_client.mjs");

/** Where a client connects, and how: STARTTLS on the stream or TLS from the first byte. */
export interface Target {
  port: number;
  tls: "starttls" | "direct";
}

export interface Account {
  jid: string;
  password: string;
  ca: string;
}

/**
 * The real clients of the matrix, each run the way its own documentation says, with the lab
 * CA as its trust anchor. `run` sends one message to bob and exits 0 when the client believes
 * it was sent.
 */
export interface RealClient {
  name: string;
  run(to: Target, who: Account, body: string): Proc;
}

const local = (jid: string) => jid.split("@")[0];

export const CLIENTS: RealClient[] = [
  {
    // slixmpp 1.8 (python3-slixmpp): STARTTLS when offered, use_ssl for direct TLS.
    name: "slixmpp",
    run: (t, a, body) => proc("/usr/bin/python3", [SLIX, a.jid, a.password, "127.0.0.1", String(t.port), t.tls, a.ca, "--send", `bob@lab.example:${body}`]),
  },
  {
    // go-sendxmpp: STARTTLS, or -t for direct TLS; Go reads extra roots from SSL_CERT_FILE.
    name: "go-sendxmpp",
    run: (t, a, body) =>
      proc("go-sendxmpp", ["-u", a.jid, "-p", a.password, "-j", `127.0.0.1:${t.port}`, ...(t.tls === "direct" ? ["-t"] : []), "bob@lab.example"], {
        stdin: body + "\n",
        env: { SSL_CERT_FILE: a.ca },
      }),
  },
  {
    // sendxmpp 1.24 (perl, Net::XMPP): -t STARTTLS, -e direct TLS, -a the CA; -o names the domain.
    name: "sendxmpp",
    run: (t, a, body) =>
      proc("sendxmpp", ["-u", local(a.jid), "-p", a.password, "-j", `127.0.0.1:${t.port}`, "-o", "lab.example", t.tls === "direct" ? "-e" : "-t", "-a", a.ca, "bob@lab.example"], {
        stdin: body + "\n",
      }),
  },
  {
    // xmpp.js 0.14 (@xmpp/client from npm): xmpp:// (STARTTLS if offered) or xmpps://.
    name: "xmpp.js",
    run: (t, a, body) =>
      proc(process.execPath, [XMPPJS, a.jid, a.password, "127.0.0.1", String(t.port), t.tls, "--send", `bob@lab.example:${body}`], {
        env: { NODE_EXTRA_CA_CERTS: a.ca },
      }),
  },
  {
    // The lab's own client, as a careful user runs it: TLS required, the lab CA verified.
    name: "lab client",
    run: (t, a, body) =>
      proc(process.execPath, [BIN, "client", "--connect", `127.0.0.1:${t.port}`, "--jid", a.jid, "--password", a.password,
        "--tls", t.tls === "direct" ? "direct" : "required", "--ca", a.ca, "--send", `bob@lab.example:${body}`]),
  },
];
