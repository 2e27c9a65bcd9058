import { Module, type DynamicModule } from '@nestjs/common';
import { OWNER_ROLES } from '@jigsaw/database';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import { EVENT_STORE_MIGRATIONS } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS } from '@jigsaw/identity';
import { AgencyIngestModule } from '@jigsaw/ingest';
import { agencyTopic } from '@jigsaw/messaging';
import { PlatformModule } from '@jigsaw/platform';
import { FhirController } from './fhir/fhir.controller.js';
import { healthCatalogue } from './health.catalogue.js';

export class HealthConfig extends ServiceConfig {
  override PORT = 3003;
}

@Module({})
export class AppModule {
  static register(config: HealthConfig = loadConfig(HealthConfig)): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          name: 'health',
          role: OWNER_ROLES.health,
          config,
          migrations: [EVENT_STORE_MIGRATIONS, IDENTITY_MIGRATIONS],
          topics: [agencyTopic(config.KAFKA_TOPIC_PREFIX, 'health')],
        }),
        AgencyIngestModule.register(healthCatalogue),
      ],
      controllers: [FhirController],
    };
  }
}
