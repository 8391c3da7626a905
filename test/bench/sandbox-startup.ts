// Benchmark, not a test: how long `ferry sandbox` takes to start at each scale, and how much memory the
// world takes. Prints figures; asserts nothing. Run with `npm run bench`.
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../../electron/engine/sandbox';
import type { Scale } from '../../electron/engine/sandbox/context';
import { tempDir } from '../helpers/temp';

const scales = (process.argv[2]?.split(',') ?? ['small', 'medium', 'large']) as Scale[];

for (const scale of scales) {
  const tmp = tempDir('ferry-bench-');
  try {
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const cold = await startSandbox({ dir: tmp.dir, scale });
    const coldMs = performance.now() - t0;
    const rows = Object.values(cold.tenants).map((t) => cold.runtime(t.id).ido.rows('SLPoItems').length);
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    await cold.close();
    const t1 = performance.now();
    const warm = await startSandbox({ dir: tmp.dir });
    const warmMs = performance.now() - t1;
    await warm.close();
    console.log(
      `${scale.padEnd(6)}  first start ${(coldMs / 1000).toFixed(1)} s, restart ${(warmMs / 1000).toFixed(1)} s, ` +
        `${rows.length} tenants × ${rows[0]} PO lines, heap +${heapMb.toFixed(0)} MB`,
    );
  } finally {
    tmp.remove();
  }
}
