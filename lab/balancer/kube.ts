import fs from "node:fs";
import http from "node:http";
import https from "node:https";

/** Where the API server is and how to prove who we are: in a Pod, its service account. */
export interface KubeTarget {
  /** https://10.0.0.1:443 in a cluster; a fake's http://127.0.0.1:PORT in tests. */
  baseUrl: string;
  token?: string;
  ca?: Buffer;
  namespace: string;
}

const SA = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The in-cluster target, from the standard service-account mount and environment. */
export function inCluster(env = process.env): KubeTarget {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? "443";
  if (!host) throw new Error("KUBERNETES_SERVICE_HOST is not set: the balancer runs inside a cluster (or give KUBE_API_URL)");
  return {
    baseUrl: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    token: fs.readFileSync(`${SA}/token`, "utf8").trim(),
    ca: fs.readFileSync(`${SA}/ca.crt`),
    namespace: env.POD_NAMESPACE ?? fs.readFileSync(`${SA}/namespace`, "utf8").trim(),
  };
}

export class KubeError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * The few calls the balancer makes (core/v1 Pods and Services in its own namespace), over plain
 * node:https so the image needs no client library. Every call is bounded by a timeout.
 */
export class Kube {
  constructor(readonly target: KubeTarget) {}

  request<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.target.baseUrl);
    const lib = url.protocol === "https:" ? https : http;
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = lib.request(
        url,
        {
          method,
          ca: this.target.ca,
          timeout: 15_000,
          headers: {
            accept: "application/json",
            ...(this.target.token ? { authorization: `Bearer ${this.target.token}` } : {}),
            ...(data ? { "content-type": "application/json", "content-length": Buffer.byteLength(data) } : {}),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c) => (text += c));
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(text ? JSON.parse(text) : (undefined as T));
            let message = text;
            try {
              message = JSON.parse(text).message ?? text;
            } catch {
              /* not JSON */
            }
            reject(new KubeError(status, `${method} ${url.pathname}: ${status} ${message}`));
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${url.pathname}: the API server did not answer in 15 s`)));
      req.on("error", reject);
      req.end(data);
    });
  }

  private ns(kind: string, name = "") {
    return `/api/v1/namespaces/${this.target.namespace}/${kind}${name ? `/${name}` : ""}`;
  }
  createPod = (pod: object) => this.request("POST", this.ns("pods"), pod);
  createService = (svc: object) => this.request("POST", this.ns("services"), svc);
  getPod = (name: string) => this.request("GET", this.ns("pods", name));
  getService = (name: string) => this.request("GET", this.ns("services", name));
  listPods = (selector: string) => this.request("GET", `${this.ns("pods")}?labelSelector=${encodeURIComponent(selector)}`);
  /** Deleting what is already gone is fine: reaping and a student's return can race. */
  async delete(kind: "pods" | "services", name: string): Promise<void> {
    try {
      await this.request("DELETE", this.ns(kind, name));
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 404)) throw err;
    }
  }
}
