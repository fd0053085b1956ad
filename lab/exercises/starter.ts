/**
 * What `mitm-lab exercise <id> --starter FILE` writes: a tactic that does nothing, with the API
 * in its comments. Kept in the bundle: the classroom image has no source tree to copy it from.
 * It is also the "does nothing" answer the tests prove every attack check rejects.
 */
export function starterTactic(exerciseId: string): string {
  return `// A tactic for mallory, for ${exerciseId}. Check it with:
//   mitm-lab exercise check ${exerciseId} --tactic THIS_FILE
// Watch it work, step by step, with: mitm-lab run <scenario> --tactic THIS_FILE
//
// mallory calls your function once for every element she can read (in the clear, or inside TLS
// she terminated), in both directions, before forwarding it.
//   el     a copy of the parsed element (an ltx Element: el.name, el.attrs, el.getChild(name, ns),
//          el.getChildren(name), el.getText(), el.getChildText(name), el.remove(child), el.c(name, attrs),
//          el.children). Change it freely.
//   where  { dir: "s2c" (server to client) | "c2s", context: "cleartext" | "inside-tls",
//            stage: "pre-auth" | "post-auth" }
//   lab    { NS: { tls, sasl, saslChannelBinding, ... }, element(name, attrs, ...children),
//            parse(xml), mechanisms(features) }
// Return nothing to forward el (with your changes), another element to forward instead,
// { el: null } to drop it, or { el, append: "raw text" } to write bytes of your own right behind it.
// One self-contained file: import nothing but node: built-ins and types. docs/exercises.md has more.

type Where = { dir: "c2s" | "s2c"; context: "cleartext" | "inside-tls"; stage: "pre-auth" | "post-auth" };

export default function tactic(el: any, where: Where, lab: any) {
  // Your moves here. For a start, look at what crosses:
  // if (where.dir === "s2c" && el.name === "stream:features") { ... }
}
`;
}
