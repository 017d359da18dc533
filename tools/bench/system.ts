/**
 * The system's figures (issue 9, point 1): fan-out of a plan to 2,000 cases (distributed over the real
 * broker, and embedded), HTTP command latency at a fixed offered rate, the yearly report over 2,000
 * cases, and each service's resident memory idle and under load.
 */
export async function runSystemBenchmarks(): Promise<void> {
  // Filled in by the system benchmarks (see docs/performance.md).
}
