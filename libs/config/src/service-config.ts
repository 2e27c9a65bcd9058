import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/jigsaw';
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';
/** Published with the code so that `npm start` and the tests work unconfigured: development mode only. */
export const DEVELOPMENT_JWT_SECRET = 'jigsaw-development-only-jwt-secret-change-me';
/** base64 of `jigsaw-development-only-master!!`. */
const DEVELOPMENT_MASTER_KEY = 'amlnc2F3LWRldmVsb3BtZW50LW9ubHktbWFzdGVyISE=';
const DEVELOPMENT_IDENTIFIER_SECRET = 'development-only-identifier-secret';

/** Refuses a value published with the code unless the service runs in development mode. */
function NotPublishedOutsideDevelopment(published: string): PropertyDecorator {
  return ValidateBy({
    name: 'notPublishedOutsideDevelopment',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        value !== published || (args?.object as ServiceConfig).JIGSAW_DEVELOPMENT,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property} is the development value published with the code: set your own, ` +
        'or run with JIGSAW_DEVELOPMENT=true',
    },
  });
}

/** Settings every Jigsaw service shares; each app extends it with its own port default. */
export class ServiceConfig {
  /**
   * Development mode: allows the published development secrets and the development HS256 sign-in. Only
   * `npm start` and the tests set it; a deployment leaves it unset.
   */
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'JIGSAW_DEVELOPMENT must be true or false' })
  JIGSAW_DEVELOPMENT = false;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 0;

  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = DEFAULT_DATABASE_URL;

  /**
   * What the service does about its migrations at start. `apply`: it makes the database, the owners' roles
   * and its login's membership of each, applies its migrations and keeps the grants, so its login may act
   * as every owner. `check`: it only reads `public.jigsaw_migrations` and refuses to start while one of its
   * migrations is not applied, so its login need be a member of its own role alone; `npm run migrate`, with
   * a login that may act as every owner, applies them (docs/operating.md, "One login per service").
   */
  @IsIn(['apply', 'check'], { message: 'DATABASE_MIGRATIONS must be apply or check' })
  DATABASE_MIGRATIONS: 'apply' | 'check' = 'apply';

  /** Connections per service; ingest and reads wait on the database, so more than cores pays. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_MAX = 10;

  @IsString()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS = DEFAULT_KAFKA_BROKERS;

  /** Prefixes every topic and consumer group, so several hubs (or test runs) can share one cluster. */
  @IsString()
  @Matches(/^[a-z0-9._-]*$/, { message: 'KAFKA_TOPIC_PREFIX may hold only a-z, 0-9, ".", "_" and "-"' })
  KAFKA_TOPIC_PREFIX = 'jigsaw.';

  /**
   * Copies of each partition the hub's topics are created with: 1 on a single development broker, 3 on a
   * production cluster (docs/operating.md, "Running at scale"). Topics that exist already are checked, not changed.
   */
  @Type(() => Number)
  @IsInt({ message: 'KAFKA_REPLICATION_FACTOR must be a whole number' })
  @Min(1, { message: 'KAFKA_REPLICATION_FACTOR must be at least 1' })
  @Max(7, { message: 'KAFKA_REPLICATION_FACTOR must be at most 7' })
  KAFKA_REPLICATION_FACTOR = 1;

  /** Replicas that must hold a message before it is acknowledged (acks=all): 2 with a replication of 3. */
  @Type(() => Number)
  @IsInt({ message: 'KAFKA_MIN_INSYNC_REPLICAS must be a whole number' })
  @Min(1, { message: 'KAFKA_MIN_INSYNC_REPLICAS must be at least 1' })
  @ValidateBy({
    name: 'notAboveReplicationFactor',
    validator: {
      validate: (value, args) => Number(value) <= (args?.object as ServiceConfig).KAFKA_REPLICATION_FACTOR,
      defaultMessage: () =>
        'KAFKA_MIN_INSYNC_REPLICAS must not exceed KAFKA_REPLICATION_FACTOR, or no write could ever be acknowledged',
    },
  })
  KAFKA_MIN_INSYNC_REPLICAS = 1;

  /**
   * How long the hub's topics keep a message, in milliseconds, or -1 (the default) for good: a consumer group
   * added later (a new read model, a new service) reads the topics from their start, so a topic that forgets
   * leaves it without the history before (docs/operating.md). Topics that exist already are checked, not changed.
   */
  @Type(() => Number)
  @IsInt({ message: 'KAFKA_RETENTION_MS must be a whole number' })
  @ValidateBy({
    name: 'keptOrAtLeastAnHour',
    validator: {
      validate: (value) => Number(value) === -1 || Number(value) >= 3_600_000,
      defaultMessage: () => 'KAFKA_RETENTION_MS must be -1 (kept for good) or at least 3600000 (an hour)',
    },
  })
  KAFKA_RETENTION_MS = -1;

  /** Partitions per topic: the most consumers of one group that can work at once on it (docs/operating.md). */
  @Type(() => Number)
  @IsInt({ message: 'KAFKA_PARTITIONS must be a whole number' })
  @Min(1, { message: 'KAFKA_PARTITIONS must be at least 1' })
  @Max(1000, { message: 'KAFKA_PARTITIONS must be at most 1000' })
  KAFKA_PARTITIONS = 6;

  /** Where events are stored: PostgreSQL (with an outbox) or KurrentDB 25.1+ (followed by a catch-up subscription). */
  @IsIn(['postgres', 'kurrentdb'], { message: 'EVENT_STORE must be postgres or kurrentdb' })
  EVENT_STORE: 'postgres' | 'kurrentdb' = 'postgres';

  /** The KurrentDB connection string, e.g. `kurrentdb://127.0.0.1:2113?tls=false`; needed with EVENT_STORE=kurrentdb. */
  @ValidateIf((c: ServiceConfig) => c.EVENT_STORE === 'kurrentdb' || c.KURRENTDB_URL !== undefined)
  @IsNotEmpty({ message: 'KURRENTDB_URL is needed when EVENT_STORE is kurrentdb' })
  @Matches(/^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/\S+$/, {
    message: 'KURRENTDB_URL must be a kurrentdb:// connection string',
  })
  KURRENTDB_URL?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Keys the HMAC under which identifiers are looked up, so the registry never holds them in clear. */
  @IsString()
  @IsNotEmpty()
  @NotPublishedOutsideDevelopment(DEVELOPMENT_IDENTIFIER_SECRET)
  IDENTIFIER_HMAC_SECRET = DEVELOPMENT_IDENTIFIER_SECRET;

  /**
   * The identity providers whose tokens the hub accepts: a JSON array, one entry per issuer with its
   * audience, agency, organisations and claim mapping (docs/security-and-privacy.md, "Sign-in"); checked entry by entry at start.
   */
  @ValidateIf((c: ServiceConfig) => !c.JIGSAW_DEVELOPMENT || c.OIDC_ISSUERS !== undefined)
  @IsString({ message: 'OIDC_ISSUERS is needed outside development mode: nobody could sign in' })
  OIDC_ISSUERS?: string;

  /**
   * HS256 key for development tokens (`npm run token`), the published development value when unset. Only
   * development mode accepts such tokens, so outside it the variable must not be set at all.
   */
  @ValidateIf((c: ServiceConfig) => c.JWT_SECRET !== undefined)
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  @ValidateBy({
    name: 'developmentOnly',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) =>
        (args?.object as ServiceConfig).JIGSAW_DEVELOPMENT,
      defaultMessage: () =>
        'JWT_SECRET signs development tokens, which only development mode accepts: unset it, ' +
        'or run with JIGSAW_DEVELOPMENT=true',
    },
  })
  JWT_SECRET?: string;

  /** The issuer of development tokens. */
  @IsString()
  @IsNotEmpty()
  JWT_ISSUER = 'jigsaw-dev';

  @IsString()
  @IsNotEmpty()
  JWT_AUDIENCE = 'jigsaw';

  /**
   * Wraps each child's data key (libs/erasure), which seals the child's personal data in events: 32 bytes,
   * base64 (`openssl rand -base64 32`). Losing it loses every child's personal data; keep it out of the database.
   */
  @IsString()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'ENCRYPTION_MASTER_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)',
  })
  @NotPublishedOutsideDevelopment(DEVELOPMENT_MASTER_KEY)
  ENCRYPTION_MASTER_KEY = DEVELOPMENT_MASTER_KEY;

  @IsOptional()
  @IsString()
  SERVICE_NAME?: string;
}
