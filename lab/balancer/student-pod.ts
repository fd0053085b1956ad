import { createHash } from "node:crypto";
import type { Student } from "../serve/tokens.js";

export const COMPONENT_LABEL = "app.kubernetes.io/component";
export const STUDENT_LABEL = "xmpp-mitm-lab/student";
export const LAB_PORT = 8080;

/** A name Kubernetes accepts for the student's Pod and Service (RFC 1123 label, stable per student). */
export function objectName(student: string): string {
  const slug = student.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^-+|-+$/g, "").slice(0, 30) || "s";
  // A short hash keeps two names that slug alike ("Ada" and "ada") apart.
  return `lab-${slug}-${createHash("sha256").update(student).digest("hex").slice(0, 6)}`;
}

/**
 * The student's Pod: the template from deploy/k8s/student-pod.yaml (mounted from a ConfigMap, so
 * limits and security context are edited there, in YAML), with this student's name, labels,
 * image and token filled in. The token reaches `mitm-lab serve` by environment, not argv.
 */
export function studentPod(template: any, student: Student, image: string): any {
  const pod = structuredClone(template);
  const name = objectName(student.name);
  pod.metadata = { ...pod.metadata, name, labels: { ...pod.metadata?.labels, [COMPONENT_LABEL]: "student", [STUDENT_LABEL]: name } };
  pod.metadata.annotations = { ...pod.metadata?.annotations, "xmpp-mitm-lab/student-name": student.name };
  const lab = pod.spec.containers[0];
  lab.image = image;
  lab.env = [...(lab.env ?? []).filter((e: any) => e.name !== "MITM_LAB_TOKENS"), { name: "MITM_LAB_TOKENS", value: `${student.name}:${student.token}` }];
  return pod;
}

/** A ClusterIP Service in front of the student's Pod, which only the balancer may reach (NetworkPolicy). */
export function studentService(student: Student): any {
  const name = objectName(student.name);
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, labels: { "app.kubernetes.io/name": "xmpp-mitm-lab", [COMPONENT_LABEL]: "student", [STUDENT_LABEL]: name } },
    spec: { type: "ClusterIP", selector: { [STUDENT_LABEL]: name }, ports: [{ name: "http", port: LAB_PORT, targetPort: LAB_PORT }] },
  };
}

export const isReady = (pod: any): boolean =>
  pod?.status?.phase === "Running" && (pod.status.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
