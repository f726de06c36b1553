// Dumps every sample of a rollout file with its flags, for hand labelling (test/labels/, docs/detection-quality.md).
// Usage: npx tsx scripts/labels/dump-flags.ts <file> > out.jsonl
// One line per sample: { sample, record, flags: ["kind:code", …], chars, finishReason, prompt (last 300 chars), text }.
import { loadRunWithInput } from '../../src/node/load-run';
import { completionText, promptText } from '../../src/core/run/sample-text';

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: dump-flags.ts <file>');
  const { model } = await loadRunWithInput(path, { analyse: true, keepSamples: true, keepFlags: true });
  const samples = model.samples ?? [];
  samples.forEach((s, i) => {
    const flags = (model.flags?.[i] ?? []).map((f) => `${f.kind}:${f.code}`);
    const text = completionText(s.completion);
    const prompt = promptText(s.prompt) ?? '';
    process.stdout.write(JSON.stringify({ sample: i, record: s.source.record, flags, chars: text.length, finishReason: s.finishReason, prompt: prompt.slice(-300), text }) + '\n');
  });

}

main().catch((e: unknown) => {
  process.stderr.write(String(e) + '\n');
  process.exit(1);
});
