/**
 * The closed vocabulary for "what stopped mallory" (investigate-which-scenario), and the pool
 * of scenarios a trace is drawn from: apart from the generator, so the answer's words can be
 * checked and listed without loading the runner.
 */
export const DEFENCES = {
  tls: "TLS to the server: mallory only watched sealed records",
  "required-tls": "alice required TLS and stopped when it was missing",
  certificate: "alice verified the certificate against her CAs and refused it",
  pin: "alice pinned the server's key and refused another",
  integrity: "TLS caught an altered record",
  "channel-binding": "the server refused a login bound to another TLS session",
  "downgrade-protection": "alice saw a weaker offer than lab.example makes and refused it",
} as const;

export type Defence = keyof typeof DEFENCES;

/** The pool: scenario id and what stopped mallory there. */
export const POOL: ReadonlyArray<readonly [string, Defence]> = [
  ["starttls-passive", "tls"],
  ["starttls-required-client", "required-tls"],
  ["starttls-verified", "certificate"],
  ["directtls-verified", "certificate"],
  ["directtls-pinned", "pin"],
  ["directtls-tamper", "integrity"],
  ["channel-binding", "channel-binding"],
  ["directtls-fallback-required", "required-tls"],
  ["jabber-ru-channel-binding", "channel-binding"],
  ["downgrade-protection", "downgrade-protection"],
];

