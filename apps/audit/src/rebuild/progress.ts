/** What a long run reports as it goes: how far, out of how many, and how fast. */
export interface Progress {
  events: number;
  total: number;
  perSecond: number;
  elapsedMs: number;
}

export interface ProgressSink {
  update(progress: Progress): void;
  /** Ends the display: the bar's line is finished, the last count is written. */
  done(): void;
}

export const SILENT: ProgressSink = { update: () => undefined, done: () => undefined };

const count = (n: number): string => Math.round(n).toLocaleString('en-GB');

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function parts(p: Progress): { fraction: number; text: string } {
  const fraction = p.total > 0 ? Math.min(1, p.events / p.total) : 1;
  const left = p.perSecond > 0 ? ((p.total - p.events) / p.perSecond) * 1000 : undefined;
  const eta = fraction < 1 && left !== undefined ? `, ${duration(left)} left` : '';
  return {
    fraction,
    text: `${String(Math.floor(fraction * 100)).padStart(3)}% ${count(p.events)}/${count(p.total)} events, ${count(p.perSecond)} events/s, ${duration(p.elapsedMs)}${eta}`,
  };
}

/** `label [#########...........]  45% 12,345/27,000 events, 8,123 events/s, 2s, 2s left` */
export function renderBar(label: string, progress: Progress, width = 30): string {
  const { fraction, text } = parts(progress);
  const filled = Math.round(fraction * width);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`;
}

/** `label: 45% 12,345/27,000 events, 8,123 events/s, 2s, 2s left` */
export function renderLine(label: string, progress: Progress): string {
  return `${label}: ${parts(progress).text.trimStart()}`;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

/**
 * A bar redrawn in place on a terminal; plain lines every `intervalMs` elsewhere (logs, CI), so a
 * redirected run neither floods its log nor goes silent.
 */
export function progressTo(
  stream: ProgressStream,
  label: string,
  options: { intervalMs?: number; now?: () => number } = {},
): ProgressSink {
  const now = options.now ?? Date.now;
  const tty = stream.isTTY === true;
  const interval = options.intervalMs ?? (tty ? 100 : 2000);
  let last: Progress | undefined;
  let drawnAt = -Infinity;
  let drawn: Progress | undefined;
  const draw = (progress: Progress): void => {
    if (tty) {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 100) - 80));
      stream.write(`\r\x1b[2K${renderBar(label, progress, width)}`);
    } else {
      stream.write(`${renderLine(label, progress)}\n`);
    }
    drawn = progress;
    drawnAt = now();
  };
  return {
    update(progress) {
      last = progress;
      if (now() - drawnAt >= interval) draw(progress);
    },
    done() {
      if (last && last !== drawn) draw(last);
      if (tty && drawn) stream.write('\n');
    },
  };
}
