/** One dependency check of `GET /api/health`; rejects (or times out) when the dependency is down. */
export interface HealthProbe {
  readonly name: string;
  check(abortSignal: AbortSignal): Promise<void>;
}
