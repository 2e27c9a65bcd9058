// Stops the containers the global setup started, if any (without Docker there are none).
import { stopContainers } from './backing-services.mjs';

export default async function globalTeardown(): Promise<void> {
  await stopContainers();
}
