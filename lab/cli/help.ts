export const HELP = `mitm-lab - STARTTLS stripping vs pinned direct TLS, live on loopback

  mitm-lab [console [<id>]] [--predict] [--set PATH=VALUE ...]
                                               the presenter console (in a terminal), optionally opening <id>;
                                               --predict asks the room first
  mitm-lab list [--json]                       the scenarios, by act
  mitm-lab run <id...>|--all [--json] [--quiet] [--keylog FILE] [--pcap FILE] [--set PATH=VALUE ...]
                 [--tactic FILE] [--markdown FILE] (a handout: diagram, XML, verdict and evidence, lesson)
                                               run scenarios headless; exit 0 iff every verdict is as expected
  mitm-lab record <id> [--set PATH=VALUE ...] [--cast FILE] [--size 100x30] [--pace SECONDS]
                                               the console stepping through <id> at presenter pace, as an
                                               asciicast v2 file: asciinema play FILE (a speaker's backup)
  mitm-lab pki --out DIR                       write the lab identities and ct-log.json (see docs/real-software.md)
  mitm-lab pin FILE.pem                        print a certificate's SPKI pin (sha256/BASE64, same as openssl)
  mitm-lab exercises [--json]                  hands-on exercises (defend, attack, investigate), with your status
  mitm-lab exercise <id> [--hint] [--fresh] [--starter FILE]
                                               an exercise's task; --hint reveals the next hint (counted);
                                               --starter writes a tactic file to start an attack from
  mitm-lab exercise check <id> [--set PATH=VALUE ...] [--tactic FILE] [--answer TEXT] [--json]
                                               check your answer: exit 0 solved, 1 not (docs/exercises.md)
  mitm-lab exercise report [--json]            what you hand in: solved, hints used, when
  mitm-lab watch LOG.jsonl [--upstream HOST:PORT]
                                               the live console following a running attacker's --jsonl log
  mitm-lab crack LOG.jsonl [--wordlist FILE]   guess the password of every SCRAM login in an attacker --jsonl log
                                               (bundled: the 1000 commonest passwords); exit 0 iff one was found

  mitm-lab serve [--listen 127.0.0.1:8080] [--isolate none|podman] [--token [NAME:]T ...] [--tokens FILE]
                 [--idle MINUTES] [--max-sessions N] [--state DIR] [--image IMG] [--memory 256m]
                                               the console in a browser, one lab per tab (docs/classroom.md);
                 --make-tokens N               print N name:token lines for a class
  mitm-lab server   --listen 127.0.0.1:5222 [--direct-tls 127.0.0.1:5223]
                    --tls none|starttls|starttls-required|direct [--domain lab.example]
                    --user alice:PASSWORD --user bob:PASSWORD [--pki DIR] [--allow-plain-cleartext]
                    [--mechanisms SCRAM-SHA-256,PLAIN] [--jsonl FILE] [--quiet] [--keylog FILE] [--pcap FILE]
                    [--channel-binding-types tls-exporter,...] [--tls-max-version TLSv1.2|TLSv1.3]
                    [--downgrade-protection] (XEP-0474 h=) [--starttls-buffering-bug] (CVE-2011-0411 class)
                    limits (defaults): [--max-stanza 262144] (bytes) [--sasl-retries 3] [--max-per-address 64]
                    [--negotiation-timeout 30000] [--stanza-timeout 30000] [--idle-timeout 900000] (ms)
                    [--offline-queue 100] (messages kept per account)
  mitm-lab client   --connect 127.0.0.1:5222 --jid alice@lab.example --password PASSWORD
                    --tls off|opportunistic|required|direct --verify none|chain|ca|pin (chain: no name check)
                    [--ca FILE.pem] [--pin sha256/BASE64] [--fallback HOST:PORT [--fallback-tls opportunistic|required]]
                    [--channel-binding] [--channel-binding-types tls-server-end-point,...]
                    [--remember-mechanisms LIST] (pinning) [--downgrade-protection] (check XEP-0474 h=)
                    [--allow-plain-cleartext] [--mechanisms SCRAM-SHA-256,PLAIN] (preference order)
                    [--send JID:TEXT] [--receive N] [--timeout MS] [--jsonl FILE] [--keylog FILE] [--pcap FILE]
  mitm-lab attacker --listen 127.0.0.1:6222 --upstream 127.0.0.1:5222
                    --tactic strip-starttls,loot[,...][,./my-tactic.ts] (built-ins and one tactic file of your own)
                    [--identity self-signed|rogue|stolen|public-ca|other-domain --pki DIR]
                    [--tamper-find TEXT --tamper-replace TEXT] [--wordlist FILE] (for crack)
                    [--jsonl FILE] [--quiet] [--keylog FILE] [--pcap FILE] [--timeout 5000] (ms, her own waits)
                    [--console] (draw every session through her live, as the scenarios' diagram)
                    limits (defaults): [--max-stanza 262144] (held; larger goes by unread) [--max-per-address 64]
                    [--idle-timeout 900000] (ms)
                    tactics: observe, strip-starttls, strip-mechanisms, strip-plus, offer-plain,
                             inject-after-starttls, intercept-tls, tamper, flip-bytes, block, loot, crack

--set PATH=VALUE changes one setting of the scenario for a "what if" (lists comma-separated,
booleans true/false), for example --set alice.tls=required --set mallory.tactics=observe.
Settings: alice.tls, alice.verify, alice.trustsRogueCa, alice.trustsPublicCa, alice.fallbackToStartTls,
alice.fallbackTls, alice.channelBinding, alice.channelBindingType, alice.rememberedMechanisms,
alice.downgradeProtection, alice.password, alice.allowPlainWithoutTls, alice.mechanisms, server.tls,
server.directTls, server.mechanisms, server.allowPlainCleartext, server.tlsMaxVersion,
server.downgradeProtection, server.starttlsBufferingBug, mallory.tactics, mallory.identity,
mallory.blockDirectTls (an unknown one is exit 2 with the valid values).
--tactic FILE adds a tactic of your own to mallory's: one exported function over parsed elements,
in JavaScript or TypeScript (docs/exercises.md), applied before her built-in edits.
--quiet drops the live log on stderr (one line per event); --jsonl still records every event.
--keylog FILE appends TLS secrets (SSLKEYLOGFILE format) so Wireshark can decrypt a capture.
--pcap FILE writes every TCP leg the command saw as pcapng (no root needed), with the TLS secrets
inside it: tshark -r FILE decrypts without a key file. Server ends are shown on port 5222 (5223
for direct TLS) so Wireshark decodes XMPP; the real ports are in the packet comments.
Everything listens on and connects to loopback only, unless --allow-non-loopback.
Exit codes: 0 success; 1 the thing asked for did not happen; 2 bad usage.
Docs: docs/instructor-guide.md, docs/scenarios.md, docs/exercises.md, docs/real-software.md`;
