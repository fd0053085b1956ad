import { createClient } from "../victim-client/index.js";

/**
 * alice as a long-lived process for `npm run fuzz`: the harness (fuzz/run.ts) asks over IPC for
 * one login at a time per slot and learns how each ended. The client CLI logs in once per
 * process; thousands of inputs need one process whose memory and descriptors can be measured.
 * It prints nothing: anything on stderr is a finding (a stack trace).
 */

interface Ask {
  i: number;
  port: number;
  password: string;
  timeoutMs: number;
}

process.on("message", (m: Ask) => {
  void createClient({
    jid: "alice@lab.example",
    password: m.password,
    connect: { host: "127.0.0.1", port: m.port },
    tls: "off",
    verify: { mode: "none" },
    allowPlainWithoutTls: true,
    timeoutMs: m.timeoutMs,
  })
    .start()
    .then(
      async (s) => {
        await s.close();
        return "logged-in";
      },
      (e: { code?: string }) => e.code ?? "no-code",
    )
    .then((outcome) => process.send!({ i: m.i, outcome }));
});
process.on("disconnect", () => process.exit(0));
process.send!({ ready: true });
