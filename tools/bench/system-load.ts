import { Agent, request } from 'node:http';

/**
 * Open-loop load: requests leave on a fixed schedule whatever the responses do, and each latency is
 * counted from the request's scheduled time, not from when it actually left — a slow server (or a
 * busy generator) then shows up in the figures instead of silently lowering the offered rate
 * (coordinated omission).
 */

export interface HttpCall {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  rate: number;
  seconds: number;
  sent: number;
  ok: number;
  errors: number;
  /** Error responses by status (or `network`, `timeout`). */
  errorKinds: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** How late the generator sent, at worst (ms behind schedule): large values mean the generator, not the server, fell behind. */
  sendLagMaxMs: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

/** One HTTP call; resolves with the status (0 for a network error), never rejects. */
export function call({ method, url, headers, body }: HttpCall, timeoutMs = 10_000): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method, agent, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: 0, text: 'response error' }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: e.message === 'timeout' ? -1 : 0, text: e.message }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Sends `rate` requests per second for `seconds`, request i made by `make(i)`; waits for the last answer. */
export async function openLoop(rate: number, seconds: number, make: (i: number) => HttpCall, ok: (status: number) => boolean): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  let sendLagMaxMs = 0;
  const start = performance.now() + 20;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        const scheduled = start + next * interval;
        sendLagMaxMs = Math.max(sendLagMaxMs, now - scheduled);
        const i = next++;
        pending.push(
          call(make(i)).then(({ status }) => {
            const latency = performance.now() - scheduled;
            if (ok(status)) latencies.push(latency);
            else {
              const kind = status === 0 ? 'network' : status === -1 ? 'timeout' : String(status);
              errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
            }
          }),
        );
      }
      if (next >= total) resolve();
      else setTimeout(tick, Math.max(0, Math.min(interval, start + next * interval - performance.now())));
    };
    tick();
  });
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  const errors = Object.values(errorKinds).reduce((a, b) => a + b, 0);
  return {
    rate,
    seconds,
    sent: total,
    ok: latencies.length,
    errors,
    errorKinds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    sendLagMaxMs,
  };
}
