import type { InvestigateExercise } from "./types.js";

export default {
  id: "investigate-crack-scram",
  kind: "investigate",
  title: "Crack a recorded SCRAM exchange",
  task: `mallory stripped STARTTLS, and lab.example offers no PLAIN without TLS, so alice logged in with SCRAM in the clear. SCRAM never sends the password - but mallory recorded the whole exchange in her log (mallory.jsonl, next to this task). She also has a list of passwords leaked from another site (leaked-passwords.txt). People reuse passwords.

Find alice's password. The files are made for you alone: your neighbour's password is another.`,
  look: [
    "mitm-lab crack FILE.jsonl [--wordlist FILE]     a dictionary attack on every SCRAM login in a log",
    "RFC 5802 §3 and §9: what a guess is checked against, and why it can be checked offline",
  ],
  hints: [
    "Open mallory.jsonl: find alice's <auth mechanism='SCRAM-...'>, the <challenge> and the <response>. The challenge holds the salt (s=) and the iteration count (i=).",
    "Each guess costs one PBKDF2 with that iteration count, and nothing on the server notices. mitm-lab crack does the arithmetic for you.",
    "The bundled list does not have it: mitm-lab crack mallory.jsonl --wordlist leaked-passwords.txt",
  ],
  scenarios: ["starttls-strip"],
  material: "scram-crack",
  answer: "PASSWORD (the password alone)",
  lesson: "A recorded SCRAM exchange is an offline oracle for the password: as strong as the password, no stronger (RFC 5802 §9). The iteration count only sets the price of each guess. Channel binding does not change that; TLS that reaches the server, or a password on no list, does.",
  teaching: `Ask the students to time the crack and read the iteration count: how many guesses per second, and how long for a list of a billion? That is the argument for a strong password even with SCRAM. A wrong answer that is base64 or "alice:..." gets a specific explanation; the answer is checked against a salted hash kept in the student's progress file.`,
} satisfies InvestigateExercise;
