// A platform process running only the telemetry scheduler (tests/integration/fixtures/telemetry-replica.ts),
// driven over IPC: the replica and fault tests start several, each with its own Prisma client.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** An answer of the replica, e.g. {type: "prepared", minute: 417}; each caller reads its own fields. */
export type ReplicaAnswer = { type: string; results?: unknown[]; message?: string } & Record<string, unknown>;

export interface ReplicaProcess {
  child: ChildProcess;
  /** What the process printed, stdout and stderr as they came. */
  output: string[];
  /** Sends `message` and resolves with the first answer of type `reply`; an 'error' answer rejects. */
  request(message: object, reply: string): Promise<ReplicaAnswer>;
}

/**
 * Starts a replica with FLOWFORGE_CONFIG=configPath (plus `env`) and resolves once it says it
 * is ready; `name` labels its errors.
 */
export function launchReplica(name: string, configPath: string, env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    [
      '--conditions=react-server',
      '--import',
      'tsx',
      path.join(root, 'tests/integration/fixtures/telemetry-replica.ts'),
    ],
    {
      cwd: root,
      env: { ...process.env, FLOWFORGE_CONFIG: configPath, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  const output: string[] = [];
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const replica: ReplicaProcess = {
    child,
    output,
    request: (message, reply) =>
      new Promise((resolve, reject) => {
        const onMessage = (answer: ReplicaAnswer) => {
          if (answer.type !== reply && answer.type !== 'error') return;
          child.off('message', onMessage);
          if (answer.type === 'error') reject(new Error(`${name}: ${answer.message}`));
          else resolve(answer);
        };
        child.on('message', onMessage);
        child.send(message);
      }),
  };
  return new Promise<ReplicaProcess>((resolve, reject) => {
    child.once('message', () => resolve(replica));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output.join('')}`)));
  });
}
