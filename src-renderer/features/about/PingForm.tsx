import { useId, useState, type FormEvent } from 'react';
import { useSystem } from '../../stores/context';
import type { EchoState } from '../../stores/system';

/** A round trip through the contract: the request, its reply, and (in Activity) the event it emits. */
export function PingForm() {
  const [message, setMessage] = useState('hello from govc Studio');
  const echo = useSystem((s) => s.echo);
  const pingEngine = useSystem((s) => s.pingEngine);
  const inputId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (message.trim()) void pingEngine(message);
  };

  return (
    <form className="ping" onSubmit={submit}>
      <label htmlFor={inputId}>Message</label>
      <input id={inputId} value={message} maxLength={10_000} onChange={(e) => setMessage(e.target.value)} />
      <button type="submit" disabled={echo.phase === 'waiting' || !message.trim()}>
        Ping engine
      </button>
      <p role="status" aria-label="Ping result" className={`ping-result ping-${echo.phase}`}>
        {describeEcho(echo)}
      </p>
    </form>
  );
}

function describeEcho(echo: EchoState): string {
  switch (echo.phase) {
    case 'idle':
      return 'Sends the message to the engine and shows its reply.';
    case 'waiting':
      return 'Waiting for the engine…';
    case 'answered':
      return `Engine replied “${echo.reply.message}” in ${echo.roundTripMs} ms.`;
    case 'failed':
      return `Ping failed: ${echo.problem}`;
  }
}
