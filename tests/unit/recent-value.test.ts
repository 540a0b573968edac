// recentValue: the short-lived copy of the events setting (lib/events/runtime.ts).
// A burst shares one read, an old copy is read again, a failure is not kept, and
// forget() wins over a read that was already running when the value changed.
import { describe, expect, it } from 'vitest';
import { recentValue } from '../../lib/recent-value';

/** A read whose answers the test gives by hand, counting how often it was asked. */
function manualRead<T>() {
  const pending: Array<{ resolve(value: T): void; reject(error: Error): void }> = [];
  return {
    pending,
    read: () => new Promise<T>((resolve, reject) => pending.push({ resolve, reject })),
  };
}

describe('recentValue', () => {
  it('shares one read between the callers of a burst and keeps its answer for maxAgeMs', async () => {
    let now = 0;
    const source = manualRead<string>();
    const value = recentValue(source.read, 250, () => now);
    const burst = [value.get(), value.get(), value.get()];
    expect(source.pending).toHaveLength(1);
    source.pending[0].resolve('on');
    expect(await Promise.all(burst)).toEqual(['on', 'on', 'on']);
    now = 249;
    expect(await value.get()).toBe('on');
    expect(source.pending).toHaveLength(1);
    now = 250; // as old as allowed: read again
    const again = value.get();
    expect(source.pending).toHaveLength(2);
    source.pending[1].resolve('off');
    expect(await again).toBe('off');
  });

  it('counts the age from the start of the read, not its end', async () => {
    let now = 0;
    const source = manualRead<string>();
    const value = recentValue(source.read, 250, () => now);
    const first = value.get();
    now = 200; // a slow read
    source.pending[0].resolve('on');
    await first;
    now = 260;
    void value.get();
    expect(source.pending).toHaveLength(2);
  });

  it('does not keep a failed read', async () => {
    const source = manualRead<string>();
    const value = recentValue(source.read, 250, () => 0);
    const failing = value.get();
    source.pending[0].reject(new Error('database gone'));
    await expect(failing).rejects.toThrow('database gone');
    void value.get();
    expect(source.pending).toHaveLength(2);
  });

  it('after forget() reads again, and a read that was running then is answered but not kept', async () => {
    const source = manualRead<string>();
    const value = recentValue(source.read, 250, () => 0);
    const before = value.get();
    value.forget(); // the value changed while that read ran: it may have seen the old one
    const after = value.get();
    expect(source.pending).toHaveLength(2);
    source.pending[0].resolve('on (old)');
    source.pending[1].resolve('off');
    expect(await before).toBe('on (old)');
    expect(await after).toBe('off');
    expect(await value.get()).toBe('off');
    expect(source.pending).toHaveLength(2);
  });

  it('a running read finishing after forget() does not overwrite the newer copy', async () => {
    const source = manualRead<string>();
    const value = recentValue(source.read, 250, () => 0);
    void value.get();
    value.forget();
    const fresh = value.get();
    source.pending[1].resolve('off');
    await fresh;
    source.pending[0].resolve('on (old)');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await value.get()).toBe('off');
  });
});
