import { Controller, Get, HttpCode, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { shuttingDown } from './shutdown.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
  /** Reported but not gating: the service still answers what it can (e.g. one identity provider is down). */
  advisory?: boolean;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Injectable()
export class Readiness {
  private readonly checks: ReadinessCheck[];

  constructor(@Inject(READINESS_CHECKS) checks: ReadinessCheck[]) {
    this.checks = [...checks];
  }

  /** For checks that belong to a provider outside the platform, such as the identity providers. */
  add(...checks: ReadinessCheck[]): void {
    this.checks.push(...checks);
  }

  isAdvisory(name: string): boolean {
    return this.checks.some((c) => c.name === name && c.advisory === true);
  }

  async report(): Promise<Record<string, 'up' | 'down'>> {
    const results = await Promise.all(
      this.checks.map(async (c) => [c.name, (await c.check().catch(() => false)) ? 'up' : 'down'] as const),
    );
    return Object.fromEntries(results);
  }
}

@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, string> }> {
    // First, so that a load balancer stops sending traffic while in-flight requests finish.
    if (shuttingDown()) throw new ServiceUnavailableException('not ready: shutting down');
    const checks = await this.readiness.report();
    const down = Object.entries(checks).filter(
      ([name, state]) => state === 'down' && !this.readiness.isAdvisory(name),
    );
    if (down.length > 0) {
      throw new ServiceUnavailableException(`not ready: ${down.map(([name]) => name).join(', ')} down`);
    }
    return { status: 'ok', checks };
  }
}
