// Preloaded into the measured process: reports its peak resident memory (worker threads included) on exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.PEAK_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
});
