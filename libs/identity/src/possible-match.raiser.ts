import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { IdentityCommands } from './identity-commands.js';
import { IdentityRegistry, type UncheckedEvidence } from './identity-registry.js';
import { LinkedChildren } from './linked-children.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Turns the weaker evidence that agency services note at ingest into `hub.possible-match-raised` events.
 * Ingest only writes a keyed hash beside the identifiers it links (no event, no extra round trip on the
 * usual path); this loop raises the matches, once per pair, and marks the evidence done after.
 */
@Injectable()
export class PossibleMatchRaiser implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('possible-matches');
  private stopped = false;
  private running: Promise<void> | undefined;
  raised = 0;

  constructor(
    private readonly registry: IdentityRegistry,
    private readonly commands: IdentityCommands,
    private readonly links: LinkedChildren,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** One pass over the evidence not yet raised; how many pieces of evidence it handled. */
  async raiseOnce(limit = 100): Promise<number> {
    return this.registry.raiseUnchecked(limit, async (evidence) => {
      for (const item of evidence) await this.raiseFor(item);
    });
  }

  private async raiseFor({ childId, peers, kind }: UncheckedEvidence): Promise<void> {
    if (peers.length === 0) return;
    const members = await this.links.membersOf(childId);
    for (const peer of peers) {
      // Already one child: nothing for a person to decide.
      if (members.includes(peer)) continue;
      const { raised } = await this.commands.raise(childId, peer, kind);
      if (raised) this.raised++;
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if ((await this.raiseOnce()) === 0) await sleep(250);
      } catch (error) {
        this.logger.warn(`raising possible matches paused: ${(error as Error).name}`);
        await sleep(1_000);
      }
    }
  }
}
