import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Destination secrets at rest (issue 14): a signed webhook's HMAC key and a Slack URL must be readable
// again for delivery (the HMAC needs the raw key), so they are encrypted, not hashed. AES-256-GCM with a
// fresh 96-bit nonce per value; the tag authenticates it, so a value edited in MySQL fails to open
// instead of signing with a wrong key.

const VERSION = 'v1';
// Binds ciphertexts to their purpose: a value sealed for something else with the same key will not open here.
const AAD = Buffer.from('timekeeper destination secret v1');

export class SecretBoxError extends Error {}

/** Seals and opens short secrets with one 32-byte key (64 hex characters, e.g. DESTINATION_SECRETS_KEY). */
export class SecretBox {
  private readonly key: Buffer;

  constructor(hexKey: string) {
    if (!/^[0-9a-fA-F]{64}$/.test(hexKey)) throw new SecretBoxError('the secrets key must be 64 hex characters (32 bytes)');
    this.key = Buffer.from(hexKey, 'hex');
  }

  /** `v1.<nonce>.<tag>.<ciphertext>`, each base64url. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(AAD);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** The plain secret; throws SecretBoxError for a value not sealed with this key (or altered). */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new SecretBoxError('not a sealed value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      // Never the underlying message: it says nothing useful and nothing about the key either.
      throw new SecretBoxError('the sealed value does not open with this key (another key, or altered)');
    }
  }
}
