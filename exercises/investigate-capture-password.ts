import type { InvestigateExercise } from "./types.js";

export default {
  id: "investigate-capture-password",
  kind: "investigate",
  title: "Find alice's password in a capture",
  task: `A network capture (capture.pcapng, next to this task) recorded every TCP connection of one run: alice to mallory, mallory to the server, bob to the server. Somewhere in it, alice logged in.

Find alice's password. The capture was made for you alone: the password is yours, not your neighbour's.`,
  look: [
    "Wireshark: File > Open capture.pcapng, then the display filter  xmpp",
    "tshark -r capture.pcapng -Y xmpp -V       the same in a terminal",
    "strings capture.pcapng | grep -i auth     the blunt way",
    "mitm-lab run sasl-downgrade               a run like the one captured, narrated",
  ],
  hints: [
    "XMPP is XML over TCP: before TLS, every element crosses as text. Look for the SASL <auth> element alice sent.",
    "Its mechanism is PLAIN, and its content is not the password itself but base64 (RFC 4616).",
    "Decode the content of <auth mechanism='PLAIN'> (echo CONTENT | base64 -d | tr '\\0' ' '): it is authzid NUL username NUL password. The answer is the part after the second NUL.",
  ],
  scenarios: ["sasl-downgrade"],
  material: "capture-password",
  answer: "PASSWORD (the password alone)",
  lesson: "Base64 is an encoding, not encryption: whoever captures a PLAIN login in the clear has the password. It crossed because mallory stripped STARTTLS and SCRAM and alice went along with it (sasl-downgrade); a client that requires TLS never puts it there.",
  teaching: `Made by the same code as mitm-lab run --pcap (synthesised TCP framing of the real bytes, the legs on port 5222 so Wireshark's XMPP dissector needs no "Decode As"). The capture carries TLS secrets for the TLS legs (bob's): a good extension is to let students decrypt bob's session in Wireshark and ask why that is possible (the lab put the keys in the file; a real eavesdropper has none). Answers that are the base64 payload or "alice:..." get a specific explanation.`,
} satisfies InvestigateExercise;
