// Connection secrets at rest: AES-256-GCM (node:crypto) under a key from the
// environment, CONNECTIONS_KEY — 32 bytes written as 64 hex digits or base64
// (`openssl rand -base64 32`). Stored as "v1.<iv>.<tag>.<ciphertext>"
// (base64url), so a tampered or mis-keyed secret fails loudly instead of
// decrypting to garbage. The plaintext never leaves this module except to
// the CRM client that needs it; it is never logged nor sent to a page.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export class ConnectionKeyError extends Error {}

/** The key, or a plain-words error saying how to set it. */
export function connectionsKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const text = env.CONNECTIONS_KEY?.trim();
  if (!text) {
    throw new ConnectionKeyError(
      "CONNECTIONS_KEY is not set: the server needs it to keep CRM secrets encrypted. Generate one with `openssl rand -base64 32`, set it in the server's environment and restart.",
    );
  }
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) {
    throw new ConnectionKeyError(
      "CONNECTIONS_KEY must be 32 bytes: 64 hex digits or 44 base64 characters (`openssl rand -base64 32`).",
    );
  }
  return key;
}

export function encryptSecret(plaintext: string, key: Buffer = connectionsKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function decryptSecret(stored: string, key: Buffer = connectionsKey()): string {
  const [version, iv, tag, ciphertext] = stored.split(".");
  if (version !== "v1" || !iv || !tag || ciphertext === undefined) {
    throw new ConnectionKeyError("The saved secret is not in a format this version reads: enter it again.");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new ConnectionKeyError(
      "The saved secret cannot be decrypted with this CONNECTIONS_KEY (was the key changed?): set the key it was saved with, or enter the secret again.",
    );
  }
}
