import { createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { startKafkaCluster, stopKafkaCluster } from '../../../infra/kafka/kafka.mjs';
import { faultCluster } from './cluster.mjs';

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createTcpServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Six free ports in a row: three brokers, then their three controllers. */
async function freePortRun(): Promise<number> {
  for (;;) {
    // Below Linux's ephemeral ports (32768 up), which any outgoing connection may take meanwhile.
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await Promise.all(Array.from({ length: 6 }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
}

/** A three-node cluster of the fault run's own, on free ports: its options (for each node) and brokers. */
export async function startFaultKafkaCluster(
  label: string,
): Promise<{ options: { basePort: number; dataDir: string }; brokers: string }> {
  // Another process may still take a port between choosing it and a broker binding it: then other ports.
  for (let attempt = 1; ; attempt++) {
    const options = {
      basePort: await freePortRun(),
      dataDir: join(faultCluster().runDir, `${label}-${attempt}`),
    };
    try {
      return { options, brokers: await startKafkaCluster(options) };
    } catch (error) {
      await stopKafkaCluster(options);
      if (attempt === 3 || !String(error).includes('Address already in use')) throw error;
    }
  }
}
