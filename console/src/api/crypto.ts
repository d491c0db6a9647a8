/**
 * The few WebCrypto primitives the signatures need. Only `crypto.subtle`, `TextEncoder` and `btoa`: the same
 * code runs in the browser and, for the signing tests, in Node 20.
 */
const utf8 = new TextEncoder();

export type Bytes = Uint8Array<ArrayBuffer>;

export function bytes(text: string): Bytes {
  return utf8.encode(text) as Bytes;
}

export async function hmac(hash: 'SHA-1' | 'SHA-256', key: Bytes, data: string): Promise<Bytes> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, bytes(data)));
}

export async function sha256Hex(data: Bytes): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', data)));
}

export function hex(data: Uint8Array): string {
  return Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function base64(data: Uint8Array): string {
  let text = '';
  for (const b of data) text += String.fromCharCode(b);
  return btoa(text);
}

/** RFC 3986 percent-encoding, as both Alibaba signature schemes define it: `!'()*` are encoded too. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
