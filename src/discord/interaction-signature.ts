/**
 * Discord's signature on HTTP interactions, both sides of it: Discord signs
 * each POST with Ed25519 over timestamp + body and sends the result in
 * `X-Signature-Ed25519` / `X-Signature-Timestamp`; the app checks it with the
 * public key the Developer Portal shows (64 hex characters). The endpoint
 * verifies; `npm run interact`, the load tool and the tests' fake Discord
 * sign exactly as Discord does.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/** A signature older (or newer) than this is refused: a replayed request. */
export const MAX_CLOCK_SKEW_S = 5 * 60;

export const SIGNATURE_HEADER = 'x-signature-ed25519';
export const TIMESTAMP_HEADER = 'x-signature-timestamp';

/** An Ed25519 public key from its 32 bytes in hex; throws with what is wrong. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new Error(
      'must be 64 hexadecimal characters (Developer Portal → General Information → Public Key)',
    );
  }
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') },
    format: 'jwk',
  });
}

/** The public key (of a public or private key) as the Developer Portal shows it: 32 bytes in hex. */
export function publicKeyHex(key: KeyObject): string {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url').toString('hex');
}

/** A new signing key pair (Discord keeps its private key; local tests keep theirs in a file). */
export function generateSigningKey(): { privateKeyPem: string; publicKeyHex: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyHex: publicKeyHex(privateKey),
  };
}

/** An Ed25519 private key from a PEM file's text; throws with what is wrong. */
export function privateKeyFromPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error('is not a PEM private key (make one with `npm run interact -- keygen`)');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `is a ${key.asymmetricKeyType ?? 'non-Ed25519'} key; Discord signs with Ed25519`,
    );
  }
  return key;
}

/** The two headers Discord sends with `body`, signed at `timestampS` (seconds since the epoch). */
export function signatureHeaders(
  privateKey: KeyObject,
  body: string,
  timestampS: number = Math.floor(Date.now() / 1000),
): Record<typeof SIGNATURE_HEADER | typeof TIMESTAMP_HEADER, string> {
  const timestamp = String(timestampS);
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
  return { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp };
}

/** Why a request is refused as unsigned, or undefined when Discord signed it just now. */
export function signatureProblem(
  key: KeyObject,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: Buffer,
  nowS: number,
): string | undefined {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return 'missing signature headers';
  if (!/^\d+$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > MAX_CLOCK_SKEW_S) {
    return 'timestamp too old or not a time';
  }
  if (!/^[0-9a-f]{128}$/i.test(signature)) return 'malformed signature';
  const signed = Buffer.concat([Buffer.from(timestamp), body]);
  return verify(null, signed, key, Buffer.from(signature, 'hex')) ? undefined : 'bad signature';
}
