// How every latency figure of the pipeline is taken: one session, one input, 30 untimed runs, then
// the p50, p90 and minimum of `runs` timed ones, in ms.
export async function timeRuns(session, feeds, runs = 300) {
  for (let i = 0; i < 30; i++) await session.run(feeds);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q) => +times[Math.floor(runs * q)].toFixed(3);
  return { p50_ms: at(0.5), p90_ms: at(0.9), min_ms: +times[0].toFixed(3) };
}
