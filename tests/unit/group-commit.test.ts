// Group commit: concurrent submissions share one write, each settles only after
// the write holding it, and a failing item fails only its own submission.
import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../lib/collector/group-commit';

describe('group commit', () => {
  it('writes items submitted together in one batch and resolves each after that write', async () => {
    const writes: number[][] = [];
    let committed = false;
    const queue = createGroupCommit<number>(async (items) => {
      writes.push(items);
      await new Promise((resolve) => setTimeout(resolve, 20));
      committed = true;
    });
    const settled = await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(i).then(() => committed)));
    expect(settled).toEqual(Array(10).fill(true)); // no promise resolved before its commit
    expect(writes).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  });

  it('batches what arrives during a write into the next one, at most maxBatch at a time', async () => {
    const writes: number[][] = [];
    const queue = createGroupCommit<number>(
      async (items) => {
        writes.push(items);
        await new Promise((resolve) => setTimeout(resolve, 10));
      },
      { maxBatch: 3 },
    );
    const first = queue.submit(0);
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([first, ...[1, 2, 3, 4].map((i) => queue.submit(i))]);
    expect(writes).toEqual([[0], [1, 2, 3], [4]]);
  });

  it('retries a failed batch item by item: only the bad item fails', async () => {
    const queue = createGroupCommit<string>(async (items) => {
      if (items.includes('bad')) throw new Error(`refused ${items.join(',')}`);
    });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((item) => queue.submit(item)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused bad');
  });

  it('idle() waits for every write submitted so far (the stop path)', async () => {
    const written: number[] = [];
    const queue = createGroupCommit<number>(
      async (items) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        written.push(...items);
      },
      { maxBatch: 2 },
    );
    await queue.idle(); // nothing submitted: settles at once
    for (const i of [1, 2, 3]) void queue.submit(i);
    await queue.idle();
    expect(written).toEqual([1, 2, 3]);
  });

  // With several writers the next batch is sent while one is in flight; each item settles after its own write.
  it('keeps several batches in flight, each item settled after its own write', async () => {
    let inFlight = 0;
    let most = 0;
    const written = new Set<number>();
    const queue = createGroupCommit<number>(
      async (items) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        for (const item of items) written.add(item);
      },
      { writers: 3, maxBatch: 2 },
    );
    const settled: boolean[] = [];
    const submissions = Array.from({ length: 10 }, (_, i) => queue.submit(i).then(() => settled.push(written.has(i))));
    await Promise.all(submissions);
    expect(most).toBe(3);
    expect(settled).toEqual(Array(10).fill(true));
    await queue.idle();
    expect(written.size).toBe(10);
  });
});
