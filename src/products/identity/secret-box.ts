/**
 * AccessKey secrets at rest: AES-256-GCM with a key the operator controls. The key comes from
 * `VPCFLOW_SECRET_KEY` (64 hex characters or base64 of 32 bytes) or else from `secret.key` in the data
 * directory, created on first start with mode 0600. In-memory servers use a random key per process.
 * Stored form: `enc:v1:` + base64(iv | tag | ciphertext). Values without the prefix (written before
 * encryption existed) are read as they are and re-encrypted at start (IdentityService.sealLegacySecrets).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PREFIX = 'enc:v1:';

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static random(): SecretBox {
    return new SecretBox(randomBytes(32));
  }

  static fromKey(text: string): SecretBox {
    const trimmed = text.trim();
    const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
      ? Buffer.from(trimmed, 'hex')
      : Buffer.from(trimmed, 'base64');
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes (64 hex characters or base64)');
    return new SecretBox(key);
  }

  /** The env key if set, else `<dataDir>/secret.key` (created when missing), else random in memory. */
  static open(opts: { envKey: string | undefined; dataDir: string; inMemory: boolean }): SecretBox {
    if (opts.envKey) return SecretBox.fromKey(opts.envKey);
    if (opts.inMemory) return SecretBox.random();
    const file = join(opts.dataDir, 'secret.key');
    if (!existsSync(file)) {
      mkdirSync(opts.dataDir, { recursive: true });
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    }
    return SecretBox.fromKey(readFileSync(file, 'utf8'));
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
  }

  /** Throws when the value was sealed with another key (the operator changed or lost the key). */
  open(stored: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
