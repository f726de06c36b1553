// One seed for every property test in test/unit/fuzz: fixed by default so CI runs are reproducible, any number
// or 'random' through FUZZ_SEED to explore. fast-check's failure message carries the seed and the shrink path;
// `fuzzParams` also prints the seed up front so a failing CI log can be replayed with FUZZ_SEED=<seed>.
import fc from 'fast-check';

const env = process.env.FUZZ_SEED;
export const FUZZ_SEED = env === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(env ?? 20261124);

/** Runs a property with the shared seed; on failure the error names the seed and how to replay it. */
export async function check<T>(prop: fc.IAsyncProperty<T> | fc.IProperty<T>, numRuns: number): Promise<void> {
  try {
    await fc.assert(prop as fc.IAsyncProperty<T>, { seed: FUZZ_SEED, numRuns });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`property failed with seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} node scripts/test-unit.mjs fuzz)\n${msg}`);
  }
}
