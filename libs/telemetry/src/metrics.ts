import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The only label names a metric may have. Each has a small, fixed set of values (agencies, event types,
 * route templates, outcome codes, topics): never an identifier, a child, a person or a raw URL.
 */
export const METRIC_LABELS = [
  'agency',
  'type',
  'stream',
  'method',
  'route',
  'status_code',
  'outcome',
  'code',
  'topic',
  'group',
  /** An organisation's URN (`urn:jigsaw:org:<agency>:<code>`): never a person or a child. */
  'organisation',
] as const;
export type MetricLabel = (typeof METRIC_LABELS)[number];

const registry = new Registry();
let processMetrics = false;

/** The process's one registry: everything `/metrics` serves. */
export function metricsRegistry(): Registry {
  return registry;
}

function checkLabels(name: string, labelNames: readonly string[]): void {
  const unknown = labelNames.filter((l) => !(METRIC_LABELS as readonly string[]).includes(l));
  if (unknown.length > 0) {
    throw new Error(
      `metric ${name} has label(s) ${unknown.join(', ')}; allowed: ${METRIC_LABELS.join(', ')}`,
    );
  }
}

interface MetricConfig<L extends MetricLabel> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

/** Creates a histogram, or returns the one already registered under that name. */
export function histogram<L extends MetricLabel = never>(
  config: MetricConfig<L> & { buckets?: number[] },
): Histogram<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Histogram<L>;
  checkLabels(config.name, config.labelNames ?? []);
  return new Histogram<L>({
    name: config.name,
    help: config.help,
    labelNames: config.labelNames ?? [],
    ...(config.buckets ? { buckets: config.buckets } : {}),
    registers: [registry],
  });
}

/** Creates a counter, or returns the one already registered under that name. */
export function counter<L extends MetricLabel = never>(config: MetricConfig<L>): Counter<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Counter<L>;
  checkLabels(config.name, config.labelNames ?? []);
  return new Counter<L>({
    name: config.name,
    help: config.help,
    labelNames: config.labelNames ?? [],
    registers: [registry],
  });
}

type Collected<L extends string> = Iterable<readonly [Partial<Record<L, string>>, number]>;

/**
 * A gauge whose labelled values are read when `/metrics` is scraped. Registering a name again replaces
 * the earlier gauge (the newest owner reports). A collect that fails reports NaN, never fails the scrape.
 */
export function registerLabelledGauge<L extends MetricLabel>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect: () => Collected<L> | Promise<Collected<L>>,
): Gauge<L> {
  checkLabels(name, labelNames);
  registry.removeSingleMetric(name);
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const [labels, value] of await collect()) this.set(labels, value);
      } catch {
        if (labelNames.length === 0) this.set(Number.NaN);
      }
    },
  });
}

/**
 * One line to publish a number read at scrape time, e.g.
 * `registerGauge('jigsaw_notifications_overdue', 'Notifications past due', () => notifications.countOverdue())`.
 */
export function registerGauge(
  name: string,
  help: string,
  collect: () => number | Promise<number>,
): Gauge<never> {
  return registerLabelledGauge<never>(name, help, [], async () => [[{}, await collect()]]);
}

/**
 * prom-client's default gauges that end in `_total`, which the exposition format keeps for counters
 * (`promtool check metrics` refuses them). Each is the sum of its `nodejs_active_*{type}` gauge.
 */
const GAUGES_NAMED_AS_COUNTERS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** Node's own metrics (CPU, memory, event loop delay, GC), once per process. */
export function enableProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
  for (const name of GAUGES_NAMED_AS_COUNTERS) registry.removeSingleMetric(name);
}

/** The Prometheus text exposition of every metric. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
