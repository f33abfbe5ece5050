/** A failed API call: HTTP status (0 when the server was unreachable) plus
 * the server's `{"error":{"code","message"}}` when it sent one. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds from a `Retry-After` header (rate limits). */
    readonly retryAfter: number | null = null,
    /** The error's `details`, for codes that document them. */
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

function isErrorBody(v: unknown): v is { error: { code: string; message: string; details?: unknown } } {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

/** Builds the failure for a non-2xx response and its parsed body. */
export function failureFrom(response: Response, body: unknown): ApiFailure {
  const retry = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  const retryAfter = Number.isFinite(retry) ? retry : null;
  if (isErrorBody(body)) {
    const d = body.error.details;
    const details = typeof d === 'object' && d !== null ? (d as Record<string, unknown>) : null;
    return new ApiFailure(response.status, body.error.code, body.error.message, retryAfter, details);
  }
  return new ApiFailure(response.status, 'http_error', '', retryAfter);
}

export function networkFailure(cause: unknown): ApiFailure {
  const f = new ApiFailure(0, 'network', cause instanceof Error ? cause.message : String(cause));
  return f;
}
