'use client';
// "Send now": posts one manual ping through the server action and says what
// happened. Shown only while telemetry is effectively on.
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import type { FormAction, SendNowState } from '@/lib/form-state';

/** `sendNow`: the server action that sends one manual ping (sendTelemetryNow). */
export function SendNowButton({ sendNow }: { sendNow: FormAction<SendNowState> }) {
  const [state, send, pending] = useActionState(sendNow, {});
  return (
    <form action={send} className="flex flex-wrap items-center gap-3">
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Sending…' : 'Send now'}
      </Button>
      {state.message && (
        <p
          role="status"
          data-testid="send-now-result"
          className={`text-sm ${state.ok ? 'text-green-700' : 'text-red-600'}`}
        >
          {state.message}
        </p>
      )}
    </form>
  );
}
