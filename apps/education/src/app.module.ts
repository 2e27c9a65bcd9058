import { Module, type DynamicModule } from '@nestjs/common';
import { OWNER_ROLES } from '@jigsaw/database';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import { EVENT_STORE_MIGRATIONS } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS } from '@jigsaw/identity';
import { AgencyIngestModule } from '@jigsaw/ingest';
import { agencyTopic } from '@jigsaw/messaging';
import { PlatformModule } from '@jigsaw/platform';
import { educationCatalogue } from './education.catalogue.js';
import { ConcernExportController } from './safeguarding-concern/concern-export.controller.js';

export class EducationConfig extends ServiceConfig {
  override PORT = 3004;
}

@Module({})
export class AppModule {
  static register(config: EducationConfig = loadConfig(EducationConfig)): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          name: 'education',
          role: OWNER_ROLES.education,
          config,
          migrations: [EVENT_STORE_MIGRATIONS, IDENTITY_MIGRATIONS],
          topics: [agencyTopic(config.KAFKA_TOPIC_PREFIX, 'education')],
        }),
        AgencyIngestModule.register(educationCatalogue),
      ],
      controllers: [ConcernExportController],
    };
  }
}
