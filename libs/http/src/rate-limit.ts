import { createHash } from 'node:crypto';
import { HttpException, HttpStatus } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Request rates, per second, with the burst each bucket holds. Generous by default: a client's own
 * limit is far above what one agency system or practitioner sends (and what the benchmark sends), and is
 * there to stop a runaway or stolen client from starving the others.
 */
export class RateLimitConfig {
  /** Per authenticated client (the token's organisation and subject). 0 turns rate limiting off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_SECOND = 5_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_BURST = 20_000;

  /** Per client IP, for everything not (yet) authenticated: health probes, sign-in failures, anonymous calls. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_ANONYMOUS_PER_SECOND = 50;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_ANONYMOUS_BURST = 200;
}

/** Token buckets keyed by client; the oldest idle keys go first when there are too many. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token for `key`: 0 when there was one, else the seconds until there will be. */
  take(key: string, now: number): number {
    if (this.perSecond === 0) return 0;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    // Re-inserted on every use, so the Map's order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }
}

/** What the authentication guards leave on the request (agency systems and practitioners). */
interface AuthenticatedUser {
  organisation?: unknown;
  subject?: unknown;
  userId?: unknown;
}

function clientOf(user: AuthenticatedUser | undefined): string | undefined {
  if (!user || typeof user.organisation !== 'string') return undefined;
  const subject = typeof user.subject === 'string' ? user.subject : user.userId;
  return typeof subject === 'string' ? `${user.organisation} ${subject}` : undefined;
}

function bearerOf(request: Request): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * Limits request rates per authenticated client, and per IP for anyone not authenticated. A token counts
 * as a client's only once a guard has verified it (the guards run after this, so a token is first charged
 * to its IP, and to its client from its next request on): a forged or expired token can never open a
 * fresh bucket, and a flood of them is held by the IP's. Answers 429 problem+json with Retry-After.
 */
export function rateLimit(config: RateLimitConfig, clock: () => number = Date.now): RequestHandler {
  const clients = new TokenBuckets(config.RATE_LIMIT_PER_SECOND, config.RATE_LIMIT_BURST);
  const addresses = new TokenBuckets(
    config.RATE_LIMIT_ANONYMOUS_PER_SECOND,
    config.RATE_LIMIT_ANONYMOUS_BURST,
  );
  /** Hashes of tokens a guard accepted, and whose they are. */
  const verified = new Map<string, string>();
  const VERIFIED_MAX = 50_000;

  return (req: Request, res: Response, next: NextFunction): void => {
    const token = bearerOf(req);
    const tokenHash = token ? createHash('sha256').update(token).digest('base64url') : undefined;
    const client = tokenHash ? verified.get(tokenHash) : undefined;
    const wait = client
      ? clients.take(client, clock())
      : addresses.take(req.ip ?? req.socket.remoteAddress ?? 'unknown', clock());
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      next(
        new HttpException(
          `too many requests from this ${client ? 'client' : 'address'}: retry after ${wait} s`,
          HttpStatus.TOO_MANY_REQUESTS,
        ),
      );
      return;
    }
    if (tokenHash && !client) {
      res.once('finish', () => {
        const signedIn = clientOf((req as Request & { user?: AuthenticatedUser }).user);
        if (!signedIn) return;
        verified.set(tokenHash, signedIn);
        if (verified.size > VERIFIED_MAX) verified.delete(verified.keys().next().value!);
      });
    }
    next();
  };
}
