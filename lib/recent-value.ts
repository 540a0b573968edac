// One value read from somewhere slow (the database), kept for a short time so
// that a burst of callers shares one read instead of paying one each. Callers
// asking while a read runs share it; a failed read is not kept; forget() makes
// the next call read again and keeps a read already running from being stored,
// since it may have started before the change that made the caller forget.

export interface RecentValue<T> {
  get(): Promise<T>;
  forget(): void;
}

export function recentValue<T>(
  read: () => Promise<T>,
  maxAgeMs: number,
  now: () => number = () => performance.now(),
): RecentValue<T> {
  let kept: { value: T; readAt: number } | null = null;
  let running: Promise<T> | null = null;
  let generation = 0;

  return {
    get() {
      if (kept && now() - kept.readAt < maxAgeMs) return Promise.resolve(kept.value);
      if (running) return running;
      const readAt = now(); // the age counts from the start of the read: what it saw may be that old
      const startedIn = generation;
      const current = read()
        .then((value) => {
          if (startedIn === generation) kept = { value, readAt };
          return value;
        })
        .finally(() => {
          if (running === current) running = null;
        });
      running = current;
      return current;
    },
    forget() {
      generation += 1;
      kept = null;
      running = null;
    },
  };
}
