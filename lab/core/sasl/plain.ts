/** SASL PLAIN, RFC 4616 §2: message = [authzid] NUL authcid NUL passwd, base64 in XMPP (RFC 6120 §6.4.2). */

export function encodePlain(username: string, password: string, authzid = ""): string {
  return Buffer.from(`${authzid}\0${username}\0${password}`, "utf8").toString("base64");
}

export interface PlainCredentials {
  authzid: string;
  username: string;
  password: string;
}

export function decodePlain(base64: string): PlainCredentials | null {
  return parsePlain(Buffer.from(base64.trim(), "base64").toString("utf8"));
}

/** The message already decoded from base64 (the server checks the encoding first, RFC 6120 §6.5.5). */
export function parsePlain(text: string): PlainCredentials | null {
  const parts = text.split("\0");
  if (parts.length !== 3 || parts[1] === "") return null;
  return { authzid: parts[0], username: parts[1], password: parts[2] };
}
