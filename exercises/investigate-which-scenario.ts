import type { InvestigateExercise } from "./types.js";

export default {
  id: "investigate-which-scenario",
  kind: "investigate",
  title: "Read a trace: which scenario, and what stopped mallory?",
  task: `Someone ran one of the lab's scenarios and kept the trace: every event of every node, as JSON lines (trace.jsonl) and as one readable line each (trace.txt). The scenario's name and its narration are gone. In this run, mallory failed.

Work out which scenario it was, and what stopped mallory. Answer with the scenario id and one word for the defence:
  tls              TLS end to end: mallory only watched sealed records
  required-tls     alice required TLS and stopped when it was missing
  certificate      alice verified the certificate against her CAs and refused it
  pin              alice pinned the server's key and refused another
  integrity        TLS caught an altered record
  channel-binding  the server refused a login bound to another TLS session
  downgrade-protection  alice saw a weaker offer than lab.example makes and refused it`,
  look: [
    "mitm-lab list                  the scenario ids",
    "docs/scenarios.md              each scenario's settings, to compare with what the trace shows",
    "jq -c 'select(.node==\"alice\")' trace.jsonl     one node's view",
  ],
  hints: [
    "Start with how alice reached TLS: a STARTTLS exchange, or a TLS handshake from the first byte?",
    "Then the certificate alice saw (its issuer, whether it is self-signed) and what mallory did with it, if anything.",
    "The last error alice (or the server) reports names the defence; the code (PIN_MISMATCH, CERT_UNTRUSTED, MECHANISM_DOWNGRADE...) maps to one of the seven words.",
  ],
  scenarios: ["starttls-passive", "starttls-required-client", "starttls-verified", "directtls-verified", "directtls-pinned", "directtls-tamper", "channel-binding", "directtls-fallback-required", "jabber-ru-channel-binding", "downgrade-protection"],
  material: "which-scenario",
  answer: "SCENARIO DEFENCE (e.g. starttls-strip required-tls)",
  lesson: "A trace is evidence: who offered what, who started TLS, whose key alice saw, and who refused. Reading one is how you find out what actually protected a session - not what a configuration file claims.",
  teaching: `The trace is drawn from the scenarios where mallory fails, so "what stopped her" always has an answer. Several pairs look alike at first glance (starttls-verified and directtls-verified differ only in how TLS starts; directtls-verified and directtls-pinned in the certificate mallory shows and the error). Students who answer only the error code get told which half is right.`,
} satisfies InvestigateExercise;
