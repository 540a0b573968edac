// Resident memory of a server and everything it spawned: the e2e memory budgets and the
// memory benchmarks read the same figure, so they share this one reader. Also the one reader
// of /proc/.../stat that the tests and benchmarks use for other fields (parent, CPU, nice).
import { readdirSync, readFileSync } from 'node:fs';

/**
 * The fields of a /proc stat file after the command name, so index 0 is field 3 (state):
 * the command name (field 2) may hold spaces and parentheses, so the split starts after the last ")".
 */
export function statFields(statPath: string): string[] {
  const stat = readFileSync(statPath, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The nice value of one thread of this process (field 19 of its stat). */
export function threadNice(taskId: number | string): number {
  return Number(statFields(`/proc/${process.pid}/task/${taskId}/stat`)[16]);
}

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
export function treeRssBytes(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent.
      const parent = Number(statFields(`/proc/${entry}/stat`)[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {} // exited meanwhile
  }
  let total = 0;
  for (const queue = [pid]; queue.length > 0;) {
    const next = queue.pop()!;
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${next}/status`, 'utf8'))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {}
    queue.push(...(children.get(next) ?? []));
  }
  return total;
}

export const mb = (bytes: number) => bytes / 1024 / 1024;
