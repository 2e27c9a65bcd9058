import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { errors, importSPKI, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import type { ServiceConfig } from '@jigsaw/config';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import { principalFromClaims, type Principal } from './principal.js';

export type TokenSettings = Pick<
  ServiceConfig,
  'JWT_SECRET' | 'JWT_PUBLIC_KEY' | 'JWT_ISSUER' | 'JWT_AUDIENCE'
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

/**
 * Verifies bearer tokens: RS256 against the identity provider's public key when one is configured,
 * else HS256 with the shared secret (development and tests). Issuer, audience and expiry are required;
 * the algorithm is pinned, so a token cannot pick a weaker one (`none`, or HS256 keyed with the public key).
 */
const VERIFIED_TOKENS_KEPT = 10_000;

@Injectable()
export class TokenVerifier implements OnModuleInit {
  private readonly key: Promise<CryptoKey | Uint8Array>;
  private readonly algorithm: 'RS256' | 'HS256';
  /**
   * Tokens already verified, until they expire: a signature check costs more than the read it guards, and
   * a practitioner's client sends the same token with every request.
   */
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(@Inject(SERVICE_CONFIG) private readonly settings: TokenSettings) {
    const pem = settings.JWT_PUBLIC_KEY?.replaceAll('\\n', '\n');
    this.algorithm = pem ? 'RS256' : 'HS256';
    this.key = pem
      ? importSPKI(pem, 'RS256')
      : Promise.resolve(new TextEncoder().encode(settings.JWT_SECRET));
    // Reported at start by onModuleInit; this only stops an early rejection from being "unhandled".
    this.key.catch(() => undefined);
    if (!pem && settings.JWT_SECRET.includes('development-only')) {
      new Logger('auth').warn('JWT_SECRET is the development-only default: set it in any real deployment');
    }
  }

  /** A public key that does not import must stop the service at start, naming the variable. */
  async onModuleInit(): Promise<void> {
    await this.key.catch((error: unknown) => {
      throw new Error(`JWT_PUBLIC_KEY is not a usable RS256 public key: ${(error as Error).message}`);
    });
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAtMs > Date.now()) return known.principal;
      this.verified.delete(token);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.key, {
        algorithms: [this.algorithm],
        issuer: this.settings.JWT_ISSUER,
        audience: this.settings.JWT_AUDIENCE,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw invalidToken('has expired');
      if (error instanceof errors.JWTClaimValidationFailed) {
        throw invalidToken(`has a wrong or missing ${error.claim} claim`);
      }
      throw invalidToken('is malformed or not signed by a trusted issuer');
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
