// Lowers the scheduling priority of the calling thread (Linux: the thread alone, not
// the process), so that bulk work such as checking and storing 1 MB telemetry
// batches gives way to interactive requests on the request thread whenever the
// cores are busy, and still runs at full speed when they are idle.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value of background threads: low enough that a sign-in page wins the CPU, never starved. */
export const BACKGROUND_NICE = 10;

/**
 * Linux only (/proc/thread-self names this thread's task id; setpriority on a task id
 * applies to that thread). Elsewhere, or where it is not allowed, nothing changes.
 */
export function lowerThisThreadPriority(nice = BACKGROUND_NICE): boolean {
  try {
    const taskId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(taskId) || taskId <= 0) return false;
    // Never raise it: a server started under `nice 15` keeps its threads at 15 (raising needs privileges).
    if (getPriority(taskId) < nice) setPriority(taskId, nice);
    return true;
  } catch {
    return false;
  }
}
