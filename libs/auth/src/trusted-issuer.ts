import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { IssuerSettings } from './oidc-issuers.js';

type RemoteKeys = ReturnType<typeof createRemoteJWKSet>;

/** Why a token from a trusted issuer was not verified; `unreachable` means its keys could not be fetched. */
export class IssuerRefusal extends Error {
  constructor(
    readonly description: string,
    readonly unreachable = false,
  ) {
    super(description);
  }
}

/**
 * One OpenID Connect issuer the hub trusts: finds its `jwks_uri` by discovery, then keeps its keys with
 * jose's remote JWK set (cached for `keys.maxAgeSeconds`, fetched again on an unknown `kid` at most once per
 * `keys.cooldownSeconds`). An issuer unreachable at start is looked up again when a token or a readiness
 * check needs it, no more often than the cooldown allows.
 */
export class TrustedIssuer {
  private keys: RemoteKeys | undefined;
  private jwksUri: URL | undefined;
  private discovering: Promise<RemoteKeys> | undefined;
  private lastDiscoveryFailureMs = -Infinity;
  private lastCheck: { atMs: number; up: boolean } | undefined;

  constructor(readonly settings: IssuerSettings) {}

  get issuer(): string {
    return this.settings.issuer;
  }

  /** Verifies signature, algorithm, issuer, exact audience and lifetime; the claims are mapped elsewhere. */
  async verify(token: string): Promise<JWTPayload> {
    const keys = await this.remoteKeys();
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: this.settings.algorithms,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 60,
      });
      // A token meant for other APIs as well could be replayed to them, or from them to us.
      if (Array.isArray(payload.aud) && payload.aud.length !== 1) {
        throw new IssuerRefusal('has a wrong or missing aud claim');
      }
      return payload;
    } catch (error) {
      throw refusalOf(error);
    }
  }

  /** Up when the issuer's key set answers now; remembered a few seconds so probes do not flood it. */
  async reachable(): Promise<boolean> {
    const now = Date.now();
    if (this.lastCheck && now - this.lastCheck.atMs < 5_000) return this.lastCheck.up;
    let up = false;
    try {
      await this.remoteKeys();
      const response = await fetch(this.jwksUri!, {
        signal: AbortSignal.timeout(this.settings.keys.timeoutMs),
        redirect: 'manual',
      });
      up = response.status === 200;
      await response.body?.cancel();
    } catch {
      up = false;
    }
    this.lastCheck = { atMs: Date.now(), up };
    return up;
  }

  /** Starts discovery without waiting for it: the service starts even when the issuer does not answer. */
  prefetch(): void {
    this.remoteKeys().then(
      (keys) => keys.reload().catch(() => undefined),
      () => undefined,
    );
  }

  private async remoteKeys(): Promise<RemoteKeys> {
    if (this.keys) return this.keys;
    if (Date.now() - this.lastDiscoveryFailureMs < this.settings.keys.cooldownSeconds * 1000) {
      throw new IssuerRefusal('cannot be checked now: its issuer does not answer', true);
    }
    this.discovering ??= this.discover().then(
      (keys) => (this.keys = keys),
      (error: unknown) => {
        this.lastDiscoveryFailureMs = Date.now();
        this.discovering = undefined;
        throw error;
      },
    );
    return this.discovering;
  }

  private async discover(): Promise<RemoteKeys> {
    const base = this.settings.issuer.replace(/\/$/, '');
    let metadata: Record<string, unknown>;
    try {
      const response = await fetch(`${base}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(this.settings.keys.timeoutMs),
        redirect: 'manual',
      });
      if (response.status !== 200) throw new Error(`discovery answered ${response.status}`);
      metadata = (await response.json()) as Record<string, unknown>;
    } catch {
      throw new IssuerRefusal('cannot be checked now: its issuer does not answer', true);
    }
    // OpenID Connect Discovery 1.0 section 4.3: the document must name exactly the issuer asked for.
    if (metadata['issuer'] !== this.settings.issuer || typeof metadata['jwks_uri'] !== 'string') {
      throw new IssuerRefusal('cannot be checked: its issuer’s discovery document does not match it', true);
    }
    this.jwksUri = new URL(metadata['jwks_uri']);
    const { maxAgeSeconds, cooldownSeconds, timeoutMs } = this.settings.keys;
    return createRemoteJWKSet(this.jwksUri, {
      cacheMaxAge: maxAgeSeconds * 1000,
      cooldownDuration: cooldownSeconds * 1000,
      timeoutDuration: timeoutMs,
    });
  }
}

function refusalOf(error: unknown): IssuerRefusal {
  if (error instanceof IssuerRefusal) return error;
  if (error instanceof errors.JWTExpired) return new IssuerRefusal('has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new IssuerRefusal(`has a wrong or missing ${error.claim} claim`);
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new IssuerRefusal('is signed with a key its issuer does not hold');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new IssuerRefusal('uses an algorithm not allowed');
  if (
    error instanceof errors.JWKSTimeout ||
    !(error instanceof errors.JOSEError) ||
    error.message.includes('JSON Web Key Set HTTP response')
  ) {
    return new IssuerRefusal('cannot be checked now: its issuer does not answer', true);
  }
  return new IssuerRefusal('is malformed or not signed by a trusted issuer');
}
