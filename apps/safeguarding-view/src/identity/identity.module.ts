import { Module } from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { IdentityRegistry } from '@jigsaw/identity';
import { PG_POOL, publishingProviders, SERVICE_CONFIG } from '@jigsaw/platform';
import { ChildLinks } from '@jigsaw/view-model';
import { IDENTITY_EVENT_STORE, IdentityCommands } from './identity-commands.js';
import { hubEventsTopic, IdentityConsumers } from './identity.consumers.js';
import { IdentityController, IdentityDeciderGuard } from './identity.controller.js';
import { PossibleMatchRaiser } from './possible-match.raiser.js';

/** Identity resolution in the view: possible matches, links and their projection, and ChildLinks. */
@Module({
  controllers: [IdentityController],
  providers: [
    {
      provide: IdentityRegistry,
      inject: [PG_POOL, SERVICE_CONFIG],
      useFactory: (pool: Pool, c: ServiceConfig) => new IdentityRegistry(pool, c.IDENTIFIER_HMAC_SECRET),
    },
    // The hub's identity events, on hub.events; one replica of the view leads, the others stand by.
    ...publishingProviders({
      owner: 'identity',
      topic: (config) => hubEventsTopic(config.KAFKA_TOPIC_PREFIX),
      streamPrefixes: ['identity-'],
      store: IDENTITY_EVENT_STORE,
    }),
    ChildLinks,
    IdentityCommands,
    IdentityDeciderGuard,
    PossibleMatchRaiser,
    IdentityConsumers,
  ],
  exports: [ChildLinks, IdentityCommands, IdentityRegistry],
})
export class IdentityModule {}
