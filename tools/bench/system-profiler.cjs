'use strict';
// Preloaded (`node -r`) into a service the system benchmark profiles (BENCH_PROFILE), which spawns it
// with an IPC channel: 'profile:start' starts a CPU profile, 'profile:stop' writes it to
// `${BENCH_PROFILE_PREFIX}-<n>.cpuprofile` and answers with the file's name. The bench sends them
// around the phase it wants profiled (fan-out, the latency run), which `--cpu-prof` cannot do (it
// profiles the whole life, and writes nothing when a signal ends the process). Not a signal: Nest's
// shutdown hooks take SIGUSR2 as "stop".
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
let count = 0;
process.on('message', (message) => {
  if (message === 'profile:start') {
    session.post('Profiler.start', () => process.send({ profile: 'started' }));
  } else if (message === 'profile:stop') {
    session.post('Profiler.stop', (error, result) => {
      const file = `${process.env.BENCH_PROFILE_PREFIX}-${count++}.cpuprofile`;
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
      process.send({ profile: error ? `error: ${String(error)}` : file });
    });
  }
});
// The channel must not keep a stopped service alive.
process.channel?.unref();
