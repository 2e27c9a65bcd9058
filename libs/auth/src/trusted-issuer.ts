import { Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { IssuerSettings } from './oidc-issuers.js';

type RemoteKeys = ReturnType<typeof createRemoteJWKSet>;

/** Why a token from a trusted issuer was not verified. */
export class IssuerRefusal extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

/**
 * The issuer's discovery document or keys could not be fetched, so the token can be neither accepted nor
 * refused: the caller may try again after `retryAfterSeconds`.
 */
export class IssuerUnreachable extends Error {
  constructor(
    readonly issuer: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`the identity provider ${issuer} does not answer`);
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
  /** Until when a key set that must be fetched again is not asked for: the issuer did not answer. */
  private unreachableUntilMs = -Infinity;
  private lastCheck: { atMs: number; up: boolean } | undefined;
  private readonly logger = new Logger('auth');

  constructor(readonly settings: IssuerSettings) {}

  get issuer(): string {
    return this.settings.issuer;
  }

  /** Verifies signature, algorithm, issuer, exact audience and lifetime; the claims are mapped elsewhere. */
  async verify(token: string): Promise<JWTPayload> {
    const keys = await this.remoteKeys();
    // Keys still fresh verify without a fetch; once they are due, a dead issuer is not asked on every request.
    if (!keys.fresh && Date.now() < this.unreachableUntilMs) throw this.unreachable();
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: this.settings.algorithms,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: this.settings.clockToleranceSeconds,
      });
      // A token meant for other APIs as well could be replayed to them, or from them to us.
      if (Array.isArray(payload.aud) && payload.aud.length !== 1) {
        throw new IssuerRefusal('has a wrong or missing aud claim');
      }
      return payload;
    } catch (error) {
      if (!isUnreachable(error)) throw refusalOf(error);
      // Once per cooldown at most: meanwhile its tokens are answered 503 without asking it.
      this.logger.warn(`identity provider ${this.issuer} does not answer: its keys are due`);
      this.unreachableUntilMs = Date.now() + this.cooldownMs();
      throw this.unreachable();
    }
  }

  private cooldownMs(): number {
    return Math.max(1, this.settings.keys.cooldownSeconds) * 1000;
  }

  /** The issuer does not answer; Retry-After is when it will next be asked. */
  private unreachable(): IssuerUnreachable {
    const until = Math.max(this.unreachableUntilMs, this.lastDiscoveryFailureMs + this.cooldownMs());
    return new IssuerUnreachable(this.issuer, Math.max(1, Math.ceil((until - Date.now()) / 1000)));
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
      throw this.unreachable();
    }
    this.discovering ??= this.discover().then(
      (keys) => (this.keys = keys),
      (error: unknown) => {
        this.discovering = undefined;
        if (!(error instanceof IssuerUnreachable)) throw error;
        this.lastDiscoveryFailureMs = Date.now();
        this.logger.warn(`identity provider ${this.issuer} does not answer discovery`);
        throw this.unreachable();
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
      throw new IssuerUnreachable(this.issuer, 1);
    }
    // OpenID Connect Discovery 1.0 section 4.3: the document must name exactly the issuer asked for.
    if (metadata['issuer'] !== this.settings.issuer || typeof metadata['jwks_uri'] !== 'string') {
      throw new IssuerUnreachable(this.issuer, 1);
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

/** A key set that could not be fetched: timed out, refused, or not a JSON Web Key Set. */
function isUnreachable(error: unknown): boolean {
  if (error instanceof IssuerRefusal) return false;
  return (
    error instanceof errors.JWKSTimeout ||
    !(error instanceof errors.JOSEError) ||
    error.message.includes('JSON Web Key Set HTTP response')
  );
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
  return new IssuerRefusal('is malformed or not signed by a trusted issuer');
}
