// Completing the setup wizard: the first admin, the telemetry choice (through
// the setting's one writer) and the audit entries, in one transaction. The `setup.completedAt` row is inserted
// first; its primary key makes the wizard complete exactly once, even when two
// submissions race on different replicas. The loser's transaction rolls back.
import 'server-only';
import { db, type Db } from '../db';
import { hashPassword } from '../password';
import { isUniqueViolation } from './prisma-errors';
import { SETTING } from './settings';
import { recordAudit } from './audit';
import { writeTelemetryEnabled } from './telemetry-setting';
import { telemetrySettingChanged } from '../telemetry/setting-changes';

export class SetupAlreadyCompleteError extends Error {
  name = 'SetupAlreadyCompleteError';
  constructor() {
    super('Setup has already been completed on this platform. Sign in instead.');
  }
}

export interface SetupInput {
  email: string;
  name: string;
  password: string;
  /** The admin's choice; null when flowforge.yml or FLOWFORGE_TELEMETRY decides (nothing is stored then). */
  telemetry: boolean | null;
}

export async function completeSetup(input: SetupInput, client: Db = db): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  try {
    const result = await client.$transaction(async (tx) => {
      await tx.setting.create({ data: { key: SETTING.setupCompletedAt, value: now.toISOString() } });
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash, role: 'admin' },
      });
      await recordAudit(input.email, { event: 'setup.completed', newValue: input.email }, tx);
      if (input.telemetry !== null) await writeTelemetryEnabled(tx, input.telemetry, input.email);
      return { userId: user.id };
    });
    if (input.telemetry !== null) telemetrySettingChanged();
    return result;
  } catch (error) {
    if (isUniqueViolation(error)) throw new SetupAlreadyCompleteError();
    throw error;
  }
}
