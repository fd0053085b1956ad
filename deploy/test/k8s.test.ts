import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments, parse, stringify } from "yaml";
import { studentPod } from "../../lab/balancer/student-pod.js";
import { validateK8s } from "../../test/k8s-schema.js";
import { IMAGE, podman, ROOT } from "../podman/podman.js";

const rendered = () =>
  parseAllDocuments(execFileSync("kubectl", ["kustomize", path.join(ROOT, "deploy/k8s")], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })).map((d) => d.toJS());

describe("deploy/k8s, the kustomize base", () => {
  const docs = rendered();
  const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name.startsWith(name));

  it("renders, and every object passes the Kubernetes schema", () => {
    expect(docs.map((d) => d.kind).sort()).toEqual(
      ["ConfigMap", "Deployment", "Namespace", "NetworkPolicy", "NetworkPolicy", "NetworkPolicy", "Role", "RoleBinding", "Service", "ServiceAccount"],
    );
    for (const d of docs) expect(() => validateK8s(d), `${d.kind} ${d.metadata.name}`).not.toThrow();
  });

  it("denies all traffic by default, and lets only the balancer reach a student's lab", () => {
    const deny = find("NetworkPolicy", "default-deny");
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const students = find("NetworkPolicy", "students-from-balancer");
    expect(students.spec.podSelector.matchLabels).toEqual({ "app.kubernetes.io/component": "student" });
    expect(students.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/component": "balancer" } } }], ports: [{ port: 8080 }] }]);
    expect(students.spec.egress).toBeUndefined(); // with default-deny: students reach nothing
  });

  it("runs the balancer and the student Pods non-root, read-only, without capabilities, within limits", () => {
    const template = parse(find("ConfigMap", "student-pod").data["student-pod.yaml"]);
    expect(() => validateK8s(template)).not.toThrow();
    const balancer = find("Deployment", "balancer").spec.template.spec;
    for (const spec of [balancer, template.spec]) {
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } });
      const c = spec.containers[0];
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
      expect(Object.keys(c.resources.limits).sort()).toEqual(["cpu", "memory"]);
    }
    expect(template.spec.automountServiceAccountToken).toBe(false);
    // The image is set once, by kustomize, for the balancer; students get the balancer's own.
    expect(balancer.containers[0].image).toBe("localhost/xmpp-mitm-lab:latest");
    expect(balancer.volumes.find((v: any) => v.configMap).configMap.name).toBe(find("ConfigMap", "student-pod").metadata.name);
  });
});

describe("the student Pod the balancer creates, under podman kube play", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-play-"));
  const file = path.join(dir, "pod.yaml");
  afterAll(() => {
    try {
      podman(["kube", "down", file]);
    } catch {
      /* not played */
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("starts locked down with no network, and a websocket client inside the Pod steps its console to a verdict", () => {
    const template = parse(fs.readFileSync(path.join(ROOT, "deploy/k8s/student-pod.yaml"), "utf8"));
    const pod = studentPod(template, { name: "kp", token: "kp-token-12345678" }, IMAGE);
    // podman 4.3 publishes every containerPort, which --network none refuses ("PortMappings can
    // only be used with Bridge..."); in Kubernetes the list is informational, so the played copy
    // goes without it. Everything else is the Pod exactly as the balancer sends it.
    const played = structuredClone(pod);
    delete played.spec.containers[0].ports;
    fs.writeFileSync(file, stringify(played));
    podman(["kube", "play", "--network", "none", file]);
    const name = `${pod.metadata.name}-lab`;
    const [c] = JSON.parse(podman(["inspect", name]));
    expect(c.State.Running).toBe(true);
    expect(c.HostConfig.ReadonlyRootfs).toBe(true);
    expect(c.Config.User).toBe("1000:1000");
    expect(c.EffectiveCaps ?? []).toEqual([]);
    expect(c.HostConfig.Memory).toBe(192 * 1024 * 1024);
    // A browser stand-in in the same Pod (its loopback): Node 20's own WebSocket, no packages.
    const drive = `
      const ws = new WebSocket("ws://127.0.0.1:8080/tty?token=kp-token-12345678&scenario=directtls-pinned&cols=100&rows=30");
      ws.binaryType = "arraybuffer";
      let text = "", last = Date.now();
      ws.onmessage = (e) => { text += Buffer.from(e.data).toString().replace(/\\x1b\\[[0-9;?]*[ -\\/]*[@-~]/g, ""); last = Date.now(); };
      ws.onerror = (e) => { console.log("error " + e.message); process.exit(1); };
      let steps = 0;
      const tick = setInterval(() => {
        const m = /ATTACK (SUCCEEDED|FAILED)/.exec(text);
        if (m) { console.log(m[0]); process.exit(0); }
        if (steps > 80) { console.log("no verdict"); process.exit(1); }
        if (ws.readyState === 1 && Date.now() - last > 250 && /xmpp-mitm-lab/.test(text)) { ws.send(new TextEncoder().encode(" ")); steps++; last = Date.now(); }
      }, 50);`;
    // The lab may still be starting: its readiness is the first thing to wait for.
    let verdict = "";
    for (let i = 0; i < 60 && !verdict; i++) {
      try {
        verdict = podman(["run", "--rm", "--pod", pod.metadata.name, "--read-only", "--cap-drop", "all", "--user", "1000", "--entrypoint", "/usr/local/bin/node", IMAGE, "--experimental-websocket", "--no-warnings", "-e", drive]).trim();
      } catch {
        execFileSync("sleep", ["0.5"]);
      }
    }
    expect(verdict).toBe("ATTACK FAILED");
  });
});
