import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { PG_POOL, publishingProviders, SERVICE_CONFIG } from '@jigsaw/platform';
import { IDENTITY_EVENT_STORE, IdentityCommands } from './identity-commands.js';
import { IdentityRegistry } from './identity-registry.js';
import { hubEventsTopic, IdentityConsumers } from './identity.consumers.js';
import { IdentityController, IdentityDeciderGuard } from './identity.controller.js';
import { IDENTITY_OPTIONS, type IdentityModuleOptions } from './identity.options.js';
import { LinkedChildren } from './linked-children.js';
import { PossibleMatchRaiser } from './possible-match.raiser.js';

/**
 * The identity module in a process: the registry, a person's identity decisions (`/v1/identity/...`) and
 * their events on `hub.events`, the possible-match raiser, the projection of the links into
 * `options.readSchema`, and the linking of an unborn child's records at birth.
 */
@Module({})
export class IdentityModule {
  static register(options: IdentityModuleOptions): DynamicModule {
    return {
      module: IdentityModule,
      controllers: [IdentityController],
      providers: [
        { provide: IDENTITY_OPTIONS, useValue: options },
        {
          provide: IdentityRegistry,
          inject: [PG_POOL, SERVICE_CONFIG],
          useFactory: (pool: Pool, c: ServiceConfig) => new IdentityRegistry(pool, c.IDENTIFIER_HMAC_SECRET),
        },
        // The hub's identity events, on hub.events; one replica leads, the others stand by.
        ...publishingProviders({
          owner: 'identity',
          topic: (config) => hubEventsTopic(config.KAFKA_TOPIC_PREFIX),
          streamPrefixes: ['identity-'],
          store: IDENTITY_EVENT_STORE,
        }),
        options.links,
        { provide: LinkedChildren, useExisting: options.links },
        IdentityCommands,
        IdentityDeciderGuard,
        PossibleMatchRaiser,
        IdentityConsumers,
      ],
      exports: [options.links, IdentityCommands, IdentityRegistry],
    };
  }
}
