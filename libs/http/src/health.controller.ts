import { Controller, Get, HttpCode, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { shuttingDown } from './shutdown.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Injectable()
export class Readiness {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

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
    const down = Object.entries(checks).filter(([, state]) => state === 'down');
    if (down.length > 0) {
      throw new ServiceUnavailableException(`not ready: ${down.map(([name]) => name).join(', ')} down`);
    }
    return { status: 'ok', checks };
  }
}
