import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Pod } from "kubernetes-models/v1/Pod";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";

const MODELS: Record<string, new (o: any) => { validate(): void }> = {
  "v1/Pod": Pod,
  "v1/Service": Service,
  "v1/ConfigMap": ConfigMap,
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "apps/v1/Deployment": Deployment,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
};

/** Checks an object against the Kubernetes OpenAPI schema (kubernetes-models); throws with the path of what is wrong. */
export function validateK8s(obj: any): void {
  const Model = MODELS[`${obj?.apiVersion}/${obj?.kind}`];
  if (!Model) throw new Error(`no schema here for ${obj?.apiVersion} ${obj?.kind}`);
  new Model(obj).validate();
}
