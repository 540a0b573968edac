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

/** A process and all its descendants (Linux /proc), the process first. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent.
      const parent = Number(statFields(`/proc/${entry}/stat`)[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {} // exited meanwhile
  }
  const tree: number[] = [];
  for (const queue = [pid]; queue.length > 0;) {
    const next = queue.pop()!;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** Sums `read(pid)` over a process and its descendants; one that exits meanwhile counts 0. */
function sumOverTree(pid: number, read: (pid: number) => number): number {
  let total = 0;
  for (const member of processTree(pid)) {
    try {
      total += read(member);
    } catch {}
  }
  return total;
}

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
export function treeRssBytes(pid: number): number {
  return sumOverTree(pid, (member) => {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${member}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  });
}

/** CPU seconds (user + system, every thread) of a process and its descendants so far (Linux /proc). */
export function treeCpuSeconds(pid: number): number {
  return sumOverTree(pid, (member) => {
    const fields = statFields(`/proc/${member}/stat`);
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks
  });
}

export const mb = (bytes: number) => bytes / 1024 / 1024;
