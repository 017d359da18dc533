import { randomUUID } from 'node:crypto';

/** The four services, as the client names them. */
export type ServiceKey = 'planRegistry' | 'taskAssignment' | 'decreeConsultation' | 'reporting';

export interface ClientOptions {
  /** Each service's base URL (behind one proxy: `https://thihanh.example/plan-registry`, …). */
  baseUrls: Record<ServiceKey, string>;
  /** The agency client's bearer token (JWT issued by the deployment). */
  token: string | (() => string | Promise<string>);
  /** Attempts after the first for network errors, 429 and 502/503/504 (default 3). */
  retries?: number;
  /** First back-off in ms, doubled each time, with jitter (default 200). */
  backoffMs?: number;
  fetch?: typeof fetch;
}

/** A file to upload (multipart): its bytes and its name. */
export interface Upload {
  content: Uint8Array | Blob;
  fileName: string;
  contentType?: string;
}

export interface RequestOptions {
  path?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Multipart form fields; an `Upload` is sent as a file. */
  form?: Record<string, string | Upload | undefined>;
  /** For commands: the key that makes a retry safe. Generated when not given; kept across the client's own retries. */
  idempotencyKey?: string;
  /** Send `If-Match` with the version you decided on (412 when it changed since). */
  ifMatch?: number;
  /** Follows one request across services (X-Correlation-Id). */
  correlationId?: string;
}

/** A refusal from a service, from its application/problem+json body: a stable `code` to act on. */
export class ThihanhApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly details: Record<string, unknown>,
    readonly body: unknown,
  ) {
    super(`${status} ${code}: ${detail || title}`);
    this.name = 'ThihanhApiError';
  }
}

const RETRIED = new Set([429, 502, 503, 504]);
const COMMANDS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The transport every generated method goes through: bearer token, JSON or multipart bodies,
 * Idempotency-Key on commands (one per call, reused by its retries), retries with back-off for what
 * may pass (network, 429, 502–504), and typed errors from problem+json.
 */
export class HttpTransport {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async request<T = unknown>(service: ServiceKey, method: string, template: string, options: RequestOptions = {}): Promise<T> {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = options.path?.[name];
      if (value === undefined) throw new Error(`Missing path parameter ${name} for ${method} ${template}`);
      return encodeURIComponent(String(value));
    });
    const query = Object.entries(options.query ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
    const url = `${this.options.baseUrls[service].replace(/\/$/, '')}${path}${query.length ? `?${query.join('&')}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json, */*' };
    if (COMMANDS.has(method)) headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    if (options.correlationId) headers['x-correlation-id'] = options.correlationId;
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; ; attempt += 1) {
      const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
      let response: Response;
      try {
        response = await this.fetch(url, { method, headers: { ...headers, authorization: `Bearer ${token}`, ...this.contentType(options) }, body: this.body(options) });
      } catch (error) {
        if (attempt >= retries) throw error;
        await this.pause(attempt);
        continue;
      }
      if (RETRIED.has(response.status) && attempt < retries) {
        await this.pause(attempt, response.headers.get('retry-after'));
        continue;
      }
      return this.read<T>(response);
    }
  }

  private contentType(options: RequestOptions): Record<string, string> {
    return options.body !== undefined && !options.form ? { 'content-type': 'application/json' } : {};
  }

  private body(options: RequestOptions): FormData | string | undefined {
    if (options.form) {
      const form = new FormData();
      for (const [name, value] of Object.entries(options.form)) {
        if (value === undefined) continue;
        if (typeof value === 'string') form.append(name, value);
        else form.append(name, value.content instanceof Blob ? value.content : new Blob([value.content], { type: value.contentType ?? 'application/octet-stream' }), value.fileName);
      }
      return form;
    }
    return options.body === undefined ? undefined : JSON.stringify(options.body);
  }

  private async read<T>(response: Response): Promise<T> {
    const type = response.headers.get('content-type') ?? '';
    if (response.ok) {
      if (response.status === 204) return undefined as T;
      if (type.includes('json')) return (await response.json()) as T;
      if (type.startsWith('text/') || type.includes('svg')) return (await response.text()) as T;
      return new Uint8Array(await response.arrayBuffer()) as T;
    }
    const body = (type.includes('json') ? await response.json().catch(() => ({})) : { detail: await response.text() }) as Record<string, unknown>;
    throw new ThihanhApiError(
      response.status,
      String(body['code'] ?? `HTTP.${response.status}`),
      String(body['title'] ?? response.statusText),
      String(body['detail'] ?? ''),
      (body['details'] as Record<string, unknown>) ?? {},
      body,
    );
  }

  private pause(attempt: number, retryAfter?: string | null): Promise<void> {
    const seconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
    const backoff = (this.options.backoffMs ?? 200) * 2 ** attempt * (0.5 + Math.random() / 2);
    return new Promise((resolve) => setTimeout(resolve, Math.max(seconds, backoff)));
  }
}
