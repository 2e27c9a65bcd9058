import { Module, type DynamicModule } from '@nestjs/common';
import { OWNER_ROLES } from '@jigsaw/database';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import { EVENT_STORE_MIGRATIONS } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS } from '@jigsaw/identity';
import { AgencyIngestModule } from '@jigsaw/ingest';
import { agencyTopic } from '@jigsaw/messaging';
import { PlatformModule } from '@jigsaw/platform';
import { OperationEncompassController } from './domestic-abuse/operation-encompass.controller.js';
import { policeCatalogue } from './police.catalogue.js';

export class PoliceConfig extends ServiceConfig {
  override PORT = 3002;
}

@Module({})
export class AppModule {
  static register(config: PoliceConfig = loadConfig(PoliceConfig)): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          name: 'police',
          role: OWNER_ROLES.police,
          config,
          migrations: [EVENT_STORE_MIGRATIONS, IDENTITY_MIGRATIONS],
          topics: [agencyTopic(config.KAFKA_TOPIC_PREFIX, 'police')],
        }),
        AgencyIngestModule.register(policeCatalogue),
      ],
      controllers: [OperationEncompassController],
    };
  }
}
