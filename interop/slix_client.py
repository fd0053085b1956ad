#!/usr/bin/python3
"""A real XMPP client (slixmpp, from Debian's packages) driven by the interop tests.

usage: slix_client.py JID PASSWORD HOST PORT starttls|direct CAFILE|- [--send JID:TEXT] [--receive N] [--plain]

Prints one line per event (LOGGED-IN, SENT, RECEIVED <from> <body>, FAILED <why>) and exits 0 when
everything asked for happened, 1 otherwise. Bounded: gives up after 10 seconds.
"""
import asyncio
import sys

import slixmpp


def main() -> int:
    jid, password, host, port, mode, cafile, *rest = sys.argv[1:]
    send = None
    receive = 0
    plain = False
    while rest:
        flag = rest.pop(0)
        if flag == "--send":
            to, _, body = rest.pop(0).partition(":")
            send = (to, body)
        elif flag == "--receive":
            receive = int(rest.pop(0))
        elif flag == "--plain":
            plain = True

    client = slixmpp.ClientXMPP(jid, password)
    if cafile != "-":
        client.ca_certs = cafile
    if plain:
        # The lab's vulnerable-twin setting: allow PLAIN without TLS, as libstrophe's "allow" does.
        client["feature_mechanisms"].unencrypted_plain = True
    state = {"ok": False, "got": 0}
    done = asyncio.get_event_loop().create_future()

    def finish(ok: bool) -> None:
        if not done.done():
            state["ok"] = ok
            done.set_result(None)

    async def on_start(_event):
        print("LOGGED-IN", flush=True)
        client.send_presence()
        if send:
            client.send_message(mto=send[0], mbody=send[1], mtype="chat")
            print("SENT", flush=True)
        if state["got"] >= receive:
            await asyncio.sleep(0.2)  # let the message leave before the stream closes
            finish(True)

    def on_message(msg):
        if msg["type"] in ("chat", "normal") and msg["body"]:
            state["got"] += 1
            print("RECEIVED", msg["from"].bare, msg["body"], flush=True)
            if state["got"] >= receive:
                finish(True)

    client.add_event_handler("session_start", on_start)
    client.add_event_handler("message", on_message)
    client.add_event_handler("failed_all_auth", lambda _e: (print("FAILED auth", flush=True), finish(False)))
    client.add_event_handler("disconnected", lambda _e: finish(state["ok"]))
    client.add_event_handler("connection_failed", lambda e: (print("FAILED connection", e, flush=True), finish(False)))
    client.add_event_handler("ssl_invalid_cert", lambda e: (print("FAILED certificate", flush=True), finish(False)))
    client.connect((host, int(port)), use_ssl=(mode == "direct"), force_starttls=(mode == "starttls"))

    async def run():
        try:
            await asyncio.wait_for(done, 10)
        except asyncio.TimeoutError:
            print("FAILED timeout", flush=True)
        client.disconnect()
        await asyncio.sleep(0.1)

    asyncio.get_event_loop().run_until_complete(run())
    return 0 if state["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
