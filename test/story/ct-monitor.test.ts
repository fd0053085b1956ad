import { beforeAll, describe, expect, it } from "vitest";
import { panelPane } from "../../lab/console/diagram-pane.js";
import { spkiPin } from "../../lab/core/tls.js";
import { createRunContext, type RunContext, runScenario } from "../../lab/runner.js";
import { applySettings } from "../../lab/settings.js";
import { buildStory, ctMonitorPanel } from "../../lab/story/index.js";
import { SCENARIOS } from "../../scenarios/index.js";

let ctx: RunContext;
beforeAll(async () => {
  ctx = await createRunContext();
});
const scenario = (id: string, sets: string[] = []) => applySettings(SCENARIOS.find((s) => s.id === id)!, sets);
const text = (p: NonNullable<ReturnType<typeof ctMonitorPanel>>) => p.rows.map((r) => `${r.mark} ${r.text}`);

describe("the CT monitor's view (RFC 9162), drawn from the run's own events", () => {
  it("jabber-ru-2023: the log's two certificates for lab.example, the one alice was shown flagged, the server's own not", async () => {
    const r = await runScenario(scenario("jabber-ru-2023"), ctx);
    const log = r.events.find((e) => e.kind === "ct-log");
    expect(log).toMatchObject({ node: "ct-log", domain: "lab.example" });
    const p = ctMonitorPanel(r.events)!;
    expect(p.title).toContain("2 certificates");
    const rows = text(p);
    const server = rows.findIndex((x) => x.includes("issued by xmpp-mitm-lab CA"));
    const publicCa = rows.findIndex((x) => x.includes("issued by Lab Public CA"));
    expect(rows[server]).toMatch(/^✔/);
    expect(rows[publicCa]).toMatch(/^⚠/);
    expect(rows[server + 2]).toContain(`${spkiPin(ctx.pki.server.cert).slice(0, 19)}… = the key the server uses`);
    expect(rows[publicCa + 2]).toContain(`${spkiPin(ctx.pki.publicIssued.cert).slice(0, 19)}… ≠ the key the server uses`);
    expect(rows[publicCa + 3]).toContain("the certificate alice was shown");
    expect(rows.filter((x) => x.includes("alice was shown"))).toHaveLength(1);
    expect(rows.at(-1)).toMatch(/^⚠ lab.example has a certificate with a key the server does not use/);
    // The scenario's line asks for it; it lands on the step where alice talks through that TLS.
    const steps = buildStory(r);
    const at = steps.findIndex((s) => s.panels?.length);
    expect(steps[at].lines.join(" ")).toContain("Certificate Transparency monitor");
    expect(steps.filter((s) => s.panels?.length)).toHaveLength(1);
  });

  it("with the server's own stolen key, alice's certificate is the server's: the line and its view stay away", async () => {
    const r = await runScenario(scenario("jabber-ru-2023", ["mallory.identity=stolen"]), ctx);
    expect(buildStory(r).some((s) => s.panels?.length)).toBe(false);
    // The log still holds the public CA's certificate: the monitor's view says so, and alice was shown the server's.
    const rows = text(ctMonitorPanel(r.events)!);
    expect(rows[rows.findIndex((x) => x.includes("xmpp-mitm-lab CA")) + 3]).toContain("alice was shown");
  });

  it("in the console, the conclusion stays when the rows do not all fit", async () => {
    const r = await runScenario(scenario("jabber-ru-2023"), ctx);
    const p = ctMonitorPanel(r.events)!;
    const cells = (rows: number) => panelPane(p, 80, rows).map((l) => l.map((s) => s.t).join(""));
    expect(cells(20)).toHaveLength(p.rows.length + 1);
    const small = cells(6);
    expect(small).toHaveLength(6);
    expect(small.at(-2)).toContain("more rows: mitm-lab run shows them all");
    expect(small.at(-1)).toContain("alarm");
  });
});
