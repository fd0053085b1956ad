/**
 * dist/balancer.mjs: the classroom balancer as it runs in its Pod (deploy/k8s). Configured by
 * environment, as a Deployment sets it:
 *   TOKENS_FILE       name:token lines (a Secret; `mitm-lab serve --make-tokens 300` writes them)
 *   INSTRUCTOR_TOKEN  opens /instructor (from a Secret; if unset, one is made and logged once)
 *   POD_TEMPLATE      the student Pod's YAML (a ConfigMap made from deploy/k8s/student-pod.yaml)
 *   STUDENT_IMAGE     the student Pods' image; by default the balancer's own (POD_NAME)
 *   IDLE_MINUTES      a lab with no keystroke for this long is deleted (default 60)
 *   LISTEN            default 0.0.0.0:8080
 *   KUBE_API_URL      only outside a cluster (tests): the API server's URL
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { parse } from "yaml";
import { parseHostPort } from "../core/net.js";
import { readTokensFile } from "../serve/tokens.js";
import { inCluster, Kube } from "./kube.js";
import { createBalancer } from "./server.js";

async function main(env = process.env): Promise<void> {
  const log = (line: string) => console.error(`balancer: ${line}`);
  const target = env.KUBE_API_URL ? { baseUrl: env.KUBE_API_URL, namespace: env.POD_NAMESPACE ?? "default" } : inCluster(env);
  const kube = new Kube(target);
  const students = readTokensFile(env.TOKENS_FILE ?? "/etc/mitm-lab/tokens/tokens.txt");
  const podTemplate = parse(fs.readFileSync(env.POD_TEMPLATE ?? "/etc/mitm-lab/student-pod.yaml", "utf8"));
  let image = env.STUDENT_IMAGE;
  if (!image && env.POD_NAME) image = (await kube.getPod(env.POD_NAME)).spec.containers[0].image;
  if (!image) throw new Error("set STUDENT_IMAGE, or POD_NAME so the balancer can use its own image");
  let instructorToken = env.INSTRUCTOR_TOKEN;
  if (!instructorToken) {
    instructorToken = randomBytes(16).toString("base64url");
    log(`no INSTRUCTOR_TOKEN given; this run's instructor view: /instructor?token=${instructorToken}`);
  }
  const balancer = createBalancer({
    ...parseHostPort(env.LISTEN ?? "0.0.0.0:8080", "LISTEN"),
    kube,
    students,
    instructorToken,
    podTemplate,
    image,
    idleMs: Number(env.IDLE_MINUTES ?? 60) * 60_000,
    log,
  });
  const addr = await balancer.start();
  log(`listening on ${addr.address}:${addr.port}: ${students.length} students, labs from ${image}`);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await balancer.stop();
}

main().catch((err) => {
  console.error(`balancer: ${(err as Error).message}`);
  process.exit(1);
});
