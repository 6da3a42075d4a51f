/**
 * The crash test's child: commits to a persisted repository in a loop and prints `ACK <hash>` after each
 * commit returns, until it is killed. Run as `node --import tsx crash-child.ts <dataDir> <seed>`.
 */
import { EventBus } from '../events/bus';
import { RepoService } from './service';

const [dataDir, seedText] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: crash-child.ts <dataDir> <seed>');
const seed = Number(seedText ?? '1');
const service = new RepoService({ dataDir, bus: new EventBus() });
const author = { name: 'Crash Test', email: 'crash@example.com' };
const actor = { id: 'crash', name: 'Crash Test' };

async function main(): Promise<void> {
  const repo = service.has('crash')
    ? await service.get('crash')
    : await service.create({ id: 'crash', persist: true }, 'crash');
  for (let i = 0; ; i++) {
    // Several files per commit, some in new directories, so a kill can land between any two writes.
    // Every fifth commit is large enough to be written as a pack instead of loose objects.
    const files = i % 5 === 4 ? 150 : 1 + ((i + seed) % 4);
    for (let j = 0; j < files; j++) {
      await repo.writeFile(
        `d${(i + j) % 7}/f${(i * 3 + j) % 23}.txt`,
        Buffer.from(`${seed} ${i} ${j}\n`.repeat(1 + j)),
      );
    }
    const c = await repo.commit({ message: `crash ${seed} ${i}`, author }, actor);
    process.stdout.write(`ACK ${c.hash}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
