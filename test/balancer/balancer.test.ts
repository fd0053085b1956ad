import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Kube } from "../../lab/balancer/kube.js";
import { createBalancer } from "../../lab/balancer/server.js";
import { ROOT } from "../serve/harness.js";
import { TtyClient } from "../serve/tty-client.js";
import { FakeApi } from "./fake-api.js";

const TEMPLATE = parse(fs.readFileSync(path.join(ROOT, "deploy/k8s/student-pod.yaml"), "utf8"));
const STUDENTS = [
  { name: "ada", token: "ada-token-123456" },
  { name: "bo", token: "bo-token-1234567" },
];
const INSTRUCTOR = "instructor-secret-1";

let api: FakeApi;
let balancer: ReturnType<typeof createBalancer>;
let base: string;
const clock = { t: 5_000_000 };

async function startBalancer() {
  balancer = createBalancer({
    host: "127.0.0.1",
    port: 0,
    kube: new Kube({ baseUrl: api.url, namespace: "class" }),
    students: STUDENTS,
    instructorToken: INSTRUCTOR,
    podTemplate: TEMPLATE,
    image: "localhost/xmpp-mitm-lab:latest",
    idleMs: 60 * 60_000,
    pollMs: 20,
    now: () => clock.t,
  });
  base = `127.0.0.1:${(await balancer.start()).port}`;
}

beforeEach(async () => {
  api = new FakeApi();
  await api.start();
  await startBalancer();
});
afterEach(async () => {
  await balancer.stop();
  await api.stop();
});

const cookieOf = async (token: string) => {
  const r = await fetch(`http://${base}/?token=${token}`, { redirect: "manual" });
  expect(r.status).toBe(303);
  expect(r.headers.get("location")).toBe("/lab/");
  return r.headers.get("set-cookie")!.split(";")[0];
};

describe("the classroom balancer, against a fake Kubernetes API", { timeout: 90_000 }, () => {
  it("gives a student their own Pod and Service on first visit and proxies the console to a verdict", async () => {
    expect((await fetch(`http://${base}/`)).status).toBe(401);
    expect((await fetch(`http://${base}/?token=wrong-token-00`)).status).toBe(401);
    const cookie = await cookieOf("ada-token-123456");
    const c = TtyClient.open(`ws://${base}/lab/tty?cols=100&rows=30&scenario=starttls-strip`, { cookie });
    await c.waitFor(/xmpp-mitm-lab/);
    expect(await c.stepToVerdict()).toBe("ATTACK SUCCEEDED");

    // What the balancer asked Kubernetes for (each object passed the schema in the fake).
    expect([...api.pods.keys()]).toEqual([expect.stringMatching(/^lab-ada-[0-9a-f]{6}$/)]);
    const pod = [...api.pods.values()][0];
    expect(pod.spec.containers[0].image).toBe("localhost/xmpp-mitm-lab:latest");
    expect(pod.spec.containers[0].env).toContainEqual({ name: "MITM_LAB_TOKENS", value: "ada:ada-token-123456" });
    expect(pod.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(pod.spec.containers[0].resources.limits).toMatchObject({ memory: "192Mi" });
    expect(pod.metadata.labels["app.kubernetes.io/component"]).toBe("student");
    expect([...api.services.values()][0].spec.selector).toEqual({ "xmpp-mitm-lab/student": pod.metadata.name });

    // The page and its files come through the same door.
    const page = await fetch(`http://${base}/lab/`, { headers: { cookie } });
    expect(await page.text()).toContain('src="xterm.js"');
    expect((await fetch(`http://${base}/lab/xterm.js`, { headers: { cookie } })).status).toBe(200);
    // Without the cookie, nobody's lab.
    expect((await fetch(`http://${base}/lab/`, { redirect: "manual" })).status).toBe(303);
    await expect(TtyClient.open(`ws://${base}/lab/tty`).opened).rejects.toThrow("HTTP 401");
    await expect(TtyClient.open(`ws://${base}/lab/tty`, { cookie, origin: "http://evil.example" }).opened).rejects.toThrow("HTTP 403");
    c.close();
  });

  it("keeps students apart, shows the instructor the class, and reaps an idle lab", async () => {
    const ada = TtyClient.open(`ws://${base}/lab/tty`, { cookie: await cookieOf("ada-token-123456") });
    const bo = TtyClient.open(`ws://${base}/lab/tty`, { cookie: await cookieOf("bo-token-1234567") });
    await Promise.all([ada.waitFor(/xmpp-mitm-lab/), bo.waitFor(/xmpp-mitm-lab/)]);
    expect(api.pods.size).toBe(2);
    const ports = [...api.procs.values()].map((p) => p.port);
    expect(new Set(ports).size).toBe(2);
    // A student's token does not open another's lab directly either: each Pod knows one token.
    const adaPort = api.procs.get([...api.pods.keys()].find((n) => n.startsWith("lab-ada"))!)!.port;
    await expect(TtyClient.open(`ws://127.0.0.1:${adaPort}/tty?token=bo-token-1234567`).opened).rejects.toThrow("HTTP 401");

    expect((await fetch(`http://${base}/instructor.json`)).status).toBe(401);
    expect((await fetch(`http://${base}/instructor.json?token=ada-token-123456`)).status).toBe(401);
    const view = await (await fetch(`http://${base}/instructor.json`, { headers: { authorization: `Bearer ${INSTRUCTOR}` } })).json();
    expect(view.students.map((s: any) => [s.student, s.lab])).toEqual([["ada", "running"], ["bo", "running"]]);
    // Progress is what each lab reports; a lab without exercises says so, and the view still lists everyone.
    for (const s of view.students) expect(s.progress !== null || typeof s.progressNote === "string").toBe(true);
    const html = await (await fetch(`http://${base}/instructor?token=${INSTRUCTOR}`)).text();
    expect(html).toContain("2 students, 2 labs running");

    // bo keeps typing; ada does not.
    clock.t += 50 * 60_000;
    bo.type("j");
    await bo.next();
    clock.t += 10 * 60_000;
    expect(await balancer.sweep()).toBe(1);
    await ada.waitClosed();
    expect([...api.pods.keys()]).toEqual([expect.stringMatching(/^lab-bo-/)]);
    expect([...api.services.keys()]).toEqual([expect.stringMatching(/^lab-bo-/)]);
    expect(api.calls).toContain(`DELETE /api/v1/namespaces/class/pods/${[...api.calls].find((c) => c.includes("DELETE"))!.split("/").pop()}`);
    const after = await (await fetch(`http://${base}/instructor.json?token=${INSTRUCTOR}`)).json();
    expect(after.students.map((s: any) => s.lab)).toEqual(["reaped (idle)", "running"]);
    bo.close();
  });

  it("after a restart, adopts the labs of known students and deletes strays", async () => {
    const ada = TtyClient.open(`ws://${base}/lab/tty`, { cookie: await cookieOf("ada-token-123456") });
    await ada.waitFor(/xmpp-mitm-lab/);
    ada.close();
    const stray = structuredClone([...api.pods.values()][0]);
    stray.metadata = { ...stray.metadata, name: "lab-stray-000000", annotations: { "xmpp-mitm-lab/student-name": "gone" } };
    api.pods.set(stray.metadata.name, stray);
    await balancer.stop();
    const created = api.calls.filter((c) => c.startsWith("POST")).length;
    await startBalancer();
    expect([...api.pods.keys()]).toEqual([expect.stringMatching(/^lab-ada-/)]);
    const again = TtyClient.open(`ws://${base}/lab/tty`, { cookie: await cookieOf("ada-token-123456") });
    await again.waitFor(/xmpp-mitm-lab/);
    expect(api.calls.filter((c) => c.startsWith("POST")).length).toBe(created + 2); // 409s: nothing new was made
    expect(api.pods.size).toBe(1);
    again.close();
  });
});
