/**
 * Prometheus metrics for `/metrics`. One registry per engine (not prom-client's global), so several
 * engines in one process (tests) never share counters. Build and cache figures are counted from the
 * events the build service emits, so they need no calls sprinkled through the build code.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventBus } from './events/bus';

export class EngineMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly builds: Counter<'status'>;
  readonly cacheSteps: Counter<'result'>;
  readonly storeBytes: Gauge;
  readonly registryBytes: Counter<'direction'>;

  constructor(bus: EventBus) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'govc_process_' });
    this.httpRequests = new Counter({
      name: 'govc_http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'govc_http_request_duration_seconds',
      help: 'HTTP request latency by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.builds = new Counter({
      name: 'govc_builds_total',
      help: 'Finished builds by status',
      labelNames: ['status'],
      registers,
    });
    this.cacheSteps = new Counter({
      name: 'govc_build_cache_steps_total',
      help: 'Build steps served from the layer cache (hit) or executed (miss)',
      labelNames: ['result'],
      registers,
    });
    this.storeBytes = new Gauge({ name: 'govc_store_bytes', help: 'Bytes held by the content store', registers });
    this.registryBytes = new Counter({
      name: 'govc_registry_bytes_total',
      help: 'Bytes moved by the OCI registry',
      labelNames: ['direction'],
      registers,
    });
    new Gauge({
      name: 'govc_event_subscribers',
      help: 'Current event bus subscribers (SSE clients, webhooks, windows)',
      registers,
      collect() {
        // The metrics' own subscriber is not a client.
        this.set(Math.max(0, bus.subscriberCount - 1));
      },
    });
    new Gauge({
      name: 'govc_events_emitted',
      help: 'Events emitted since the engine started',
      registers,
      collect() {
        this.set(bus.lastSeq);
      },
    });
    bus.subscribe((event) => {
      const type: string = event.type;
      if (type === 'build.completed' || type === 'build.failed' || type === 'build.cancelled') {
        this.builds.inc({ status: type.slice('build.'.length) });
      } else if (type === 'build.step.completed') {
        // #0 is the policy check a build starts with: not a cache step, neither hit nor miss.
        if ((event.data as { step?: unknown }).step === '#0') return;
        const cached = (event.data as { cached?: unknown }).cached === true;
        this.cacheSteps.inc({ result: cached ? 'hit' : 'miss' });
      }
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
