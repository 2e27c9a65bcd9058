import { Module, type DynamicModule } from '@nestjs/common';
import { OWNER_ROLES } from '@jigsaw/database';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import { EVENT_STORE_MIGRATIONS } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS } from '@jigsaw/identity';
import { AgencyIngestModule } from '@jigsaw/ingest';
import { agencyTopic } from '@jigsaw/messaging';
import { PlatformModule } from '@jigsaw/platform';
import { CinCensusController } from './cin-census/cin-census.controller.js';
import { RecordCinRecordHandler } from './cin-census/record-cin-record.command.js';
import { councilCatalogue } from './council.catalogue.js';

export class CouncilConfig extends ServiceConfig {
  override PORT = 3001;
}

@Module({})
export class AppModule {
  static register(config: CouncilConfig = loadConfig(CouncilConfig)): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          name: 'council',
          role: OWNER_ROLES.council,
          config,
          migrations: [EVENT_STORE_MIGRATIONS, IDENTITY_MIGRATIONS],
          topics: [agencyTopic(config.KAFKA_TOPIC_PREFIX, 'council')],
        }),
        AgencyIngestModule.register(councilCatalogue),
      ],
      controllers: [CinCensusController],
      providers: [RecordCinRecordHandler],
    };
  }
}
