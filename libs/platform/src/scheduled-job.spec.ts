import { PeriodicJob } from './scheduled-job';

describe('PeriodicJob', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs every interval, never twice at once, and stop waits for the run under way', async () => {
    let runs = 0;
    let finish!: () => void;
    const job = new PeriodicJob(() => new Promise<void>((resolve) => ((runs += 1), (finish = resolve))), 1_000, () => undefined);
    job.start();
    await jest.advanceTimersByTimeAsync(3_500); // three intervals, but the first run has not finished
    expect(runs).toBe(1);
    finish();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(2);
  });

  it('never runs by itself with an interval of 0 (SCHEDULER_INTERVAL_MS=0: run when asked)', async () => {
    let runs = 0;
    const job = new PeriodicJob(async () => void (runs += 1), 0, () => undefined);
    job.start();
    await jest.advanceTimersByTimeAsync(600_000);
    expect(runs).toBe(0);
    await job.stop();
  });
});
