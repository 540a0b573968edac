// The bounded queue between the request hook and the writer. Pushing never
// waits and never grows memory past `capacity`: when the database is down or
// slow and the queue is full, the oldest event is dropped and counted.
export class BoundedQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private size = 0;
  /** Events dropped since this process started (shown per worker on /admin/traffic). */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new Error('capacity must be positive');
    this.items = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.size === this.capacity) {
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.size--;
      this.dropped++;
    }
    this.items[(this.head + this.size) % this.capacity] = item;
    this.size++;
  }

  /** Removes and returns up to `max` of the oldest events. */
  take(max: number): T[] {
    const count = Math.min(max, this.size);
    const out = new Array<T>(count);
    for (let i = 0; i < count; i++) {
      const index = (this.head + i) % this.capacity;
      out[i] = this.items[index] as T;
      this.items[index] = undefined;
    }
    this.head = (this.head + count) % this.capacity;
    this.size -= count;
    return out;
  }

  /**
   * A batch that could not be written goes back to the front (it is older than
   * anything queued since). Without room for all of it, its oldest events are dropped.
   */
  putBack(batch: T[]): void {
    const room = this.capacity - this.size;
    const keep = batch.length > room ? batch.slice(batch.length - room) : batch;
    this.dropped += batch.length - keep.length;
    for (let i = keep.length - 1; i >= 0; i--) {
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.items[this.head] = keep[i];
      this.size++;
    }
  }
}
