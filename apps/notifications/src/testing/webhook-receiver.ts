import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface ReceivedDelivery {
  headers: Record<string, string | undefined>;
  body: string;
  status: number;
  at: Date;
}

/** How the receiver answers the nth request (1-based) carrying a webhook-id. */
export type Answer = (webhookId: string, nth: number, body: string) => number | 'hang';

/** A local HTTP server standing in for an organisation's system: records every request it is sent. */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private server: Server | undefined;
  private readonly hanging = new Set<() => void>();

  constructor(private answer: Answer = () => 200) {}

  /** Listens on `port` (0: any free one); resolves with the URL to configure. */
  async listen(port = 0): Promise<string> {
    const server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const id = String(request.headers['webhook-id'] ?? '');
        const nth = this.received.filter((r) => r.headers['webhook-id'] === id).length + 1;
        const answer = this.answer(id, nth, body);
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
        );
        if (answer === 'hang') {
          this.received.push({ headers, body, status: 0, at: new Date() });
          this.hanging.add(() => response.destroy());
          return;
        }
        this.received.push({ headers, body, status: answer, at: new Date() });
        response.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    return `http://127.0.0.1:${address.port}/hooks/jigsaw`;
  }

  respondWith(answer: Answer): void {
    this.answer = answer;
  }

  /** Requests it accepted with a 2xx. */
  get accepted(): ReceivedDelivery[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  async close(): Promise<void> {
    for (const drop of this.hanging) drop();
    this.hanging.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
