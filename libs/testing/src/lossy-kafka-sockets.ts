import { connect, type Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';

/** Kafka's api key for Produce. */
const PRODUCE = 0;

/**
 * Sockets for a kafkajs client (its `socketFactory`) that, while `losing` is set, let each produce request
 * reach the broker and then drop the connection in place of its answer: the broker has written the
 * messages, the client is told the connection failed, as when a broker dies before it answers.
 */
export class LossyKafkaSockets {
  losing = false;
  /** Produce answers dropped so far. */
  lost = 0;

  readonly factory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = connect({ host, port }, onConnect);
    const produces = new Set<number>();
    const write = socket.write.bind(socket) as (data: Uint8Array | string, ...rest: unknown[]) => boolean;
    // kafkajs writes each request whole: its size, api key, api version, then correlation id.
    socket.write = (data: Uint8Array | string, ...rest: unknown[]) => {
      const request = Buffer.from(data);
      if (request.length >= 12 && request.readInt16BE(4) === PRODUCE) produces.add(request.readInt32BE(8));
      return write(data, ...rest);
    };
    let unread = Buffer.alloc(0);
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event !== 'data') return emit(event, ...args);
      // Answers, each a size then its correlation id, may arrive split or together.
      unread = Buffer.concat([unread, args[0] as Buffer]);
      while (unread.length >= 8 && unread.length >= 4 + unread.readInt32BE(0)) {
        const answer = unread.subarray(0, 4 + unread.readInt32BE(0));
        unread = unread.subarray(answer.length);
        if (produces.delete(answer.readInt32BE(4)) && this.losing) {
          this.lost++;
          socket.destroy(new Error('the broker’s answer was lost'));
          return true;
        }
        emit('data', answer);
      }
      return true;
    }) as Socket['emit'];
    return socket;
  };
}
