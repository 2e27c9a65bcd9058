import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { DEVELOPMENT_JWT_SECRET, type ServiceConfig } from '@jigsaw/config';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { Readiness } from '@jigsaw/http';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import { principalFromIssuerClaims } from './claim-mapping.js';
import { parseOidcIssuers } from './oidc-issuers.js';
import { principalFromClaims, type Principal } from './principal.js';
import { IssuerRefusal, IssuerUnreachable, TrustedIssuer } from './trusted-issuer.js';

export type TokenSettings = Pick<
  ServiceConfig,
  'JIGSAW_DEVELOPMENT' | 'OIDC_ISSUERS' | 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE'
>;

/** A 401: the caller is not (or no longer) who the token says. `challenge` goes into WWW-Authenticate. */
export class AuthenticationError extends JigsawError {
  constructor(
    message: string,
    readonly challenge: string,
  ) {
    super(ErrorCode.Unauthenticated, message);
  }
}

/**
 * A 503: the token's issuer does not answer, so whether the token is good cannot be known now. Not a 401,
 * which would tell the client to sign in again at an identity provider that is down.
 */
export class IssuerUnavailableError extends JigsawError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      ErrorCode.IssuerUnavailable,
      `the bearer token's identity provider does not answer: try again in ${retryAfterSeconds} s`,
    );
  }
}

const REALM = 'realm="jigsaw"';
export const MISSING_TOKEN_CHALLENGE = `Bearer ${REALM}`;

function invalidToken(description: string): AuthenticationError {
  return new AuthenticationError(
    `the bearer token ${description}`,
    `Bearer ${REALM}, error="invalid_token", error_description="the token ${description}"`,
  );
}

/** The `Authorization: Bearer <token>` header's token, or a 401 without revealing what was sent. */
export function bearerTokenOf(header: string | string[] | undefined): string {
  if (header === undefined) {
    throw new AuthenticationError('a bearer token is required', MISSING_TOKEN_CHALLENGE);
  }
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim()) : null;
  if (!match?.[1]) {
    throw new AuthenticationError(
      'the Authorization header must be "Bearer <token>"',
      `Bearer ${REALM}, error="invalid_request"`,
    );
  }
  return match[1];
}

const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * Verifies bearer tokens from the identity providers in `OIDC_ISSUERS`, each by its own keys (discovery
 * and jose's remote JWK set) and its own claim mapping. Which issuer is trusted to check a token is read
 * from its `iss`; a token naming no trusted issuer is refused. In development mode only, tokens signed
 * HS256 with the development secret (`npm run token`, the tests) are accepted too.
 */
@Injectable()
export class TokenVerifier implements OnModuleInit {
  private readonly issuers: Map<string, TrustedIssuer>;
  private readonly developmentKey: Uint8Array | undefined;
  /**
   * Tokens already verified, until they expire or the issuer's key cache is due again, whichever is
   * first: a signature check costs more than the read it guards, and a client sends the same token with
   * every request, but a key removed at the issuer must stop working within the cache's bound.
   */
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly settings: TokenSettings,
    @Optional() private readonly readiness?: Readiness,
  ) {
    // A bad entry throws here, naming the issuer and the field, and the service does not start.
    this.issuers = new Map(
      parseOidcIssuers(settings.OIDC_ISSUERS).map((entry) => [entry.issuer, new TrustedIssuer(entry)]),
    );
    if (this.issuers.size === 0 && !settings.JIGSAW_DEVELOPMENT) {
      throw new Error('OIDC_ISSUERS lists no issuer: outside development mode nobody could sign in');
    }
    if (settings.JIGSAW_DEVELOPMENT) {
      this.developmentKey = new TextEncoder().encode(settings.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET);
      new Logger('auth').warn('development mode: development tokens (HS256, JWT_SECRET) are accepted');
    }
  }

  onModuleInit(): void {
    for (const issuer of this.issuers.values()) issuer.prefetch();
    this.readiness?.add(
      ...[...this.issuers.values()].map((issuer) => ({
        name: `issuer ${issuer.issuer}`,
        check: () => issuer.reachable(),
        advisory: true,
      })),
    );
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAtMs > Date.now()) return known.principal;
      this.verified.delete(token);
    }
    let iss: string | undefined;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw invalidToken('is malformed or not signed by a trusted issuer');
    }
    const issuer = iss === undefined ? undefined : this.issuers.get(iss);
    if (issuer) return this.verifyFrom(issuer, token);
    if (this.developmentKey && iss === this.settings.JWT_ISSUER) return this.verifyDevelopment(token);
    throw invalidToken('has a wrong or missing iss claim');
  }

  private async verifyFrom(issuer: TrustedIssuer, token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      payload = await issuer.verify(token);
    } catch (error) {
      if (error instanceof IssuerRefusal) throw invalidToken(error.description);
      if (error instanceof IssuerUnreachable) throw new IssuerUnavailableError(error.retryAfterSeconds);
      throw error;
    }
    const principal = principalFromIssuerClaims(issuer.settings, payload);
    if ('invalid' in principal) {
      throw invalidToken(`has a wrong or missing ${principal.invalid} claim: it ${principal.reason}`);
    }
    const keysDueMs = Date.now() + issuer.settings.keys.maxAgeSeconds * 1000;
    this.remember(token, principal, Math.min(payload.exp! * 1000, keysDueMs));
    return principal;
  }

  private async verifyDevelopment(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.developmentKey!, {
        algorithms: ['HS256'],
        issuer: this.settings.JWT_ISSUER,
        audience: this.settings.JWT_AUDIENCE,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 60,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw invalidToken('has expired');
      if (error instanceof errors.JWTClaimValidationFailed) {
        throw invalidToken(`has a wrong or missing ${error.claim} claim`);
      }
      throw invalidToken('is malformed or not signed by a trusted issuer');
    }
    if (Array.isArray(payload.aud) && payload.aud.length !== 1) {
      throw invalidToken('has a wrong or missing aud claim');
    }
    const principal = principalFromClaims(payload);
    if ('invalid' in principal) throw invalidToken(`has a wrong or missing ${principal.invalid} claim`);
    this.remember(token, principal, payload.exp! * 1000);
    return principal;
  }
  private remember(token: string, principal: Principal, expiresAtMs: number): void {
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
      // Oldest first: a Map iterates in insertion order.
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { principal: Object.freeze(principal), expiresAtMs });
  }
}
