import type { AnyEngineEvent, StreamState } from '../../bridge';
import { useActivity, useSystem } from '../../stores/context';
import { WebhookLog } from './WebhookLog';

const STREAM_TEXT: Record<StreamState, string> = {
  idle: 'Not listening',
  connecting: 'Connecting to the event stream…',
  open: 'Live',
  lost: 'Event stream lost; reconnecting…',
};

/** `active`: whether the view is showing, so the webhook log reads the engine only when seen. */
export function ActivityView({ active = true }: { active?: boolean }) {
  const events = useActivity((s) => s.events);
  const limit = useActivity((s) => s.limit);
  const clear = useActivity((s) => s.clear);
  const stream = useSystem((s) => s.stream);

  return (
    <div className="activity">
      <header className="view-header">
        <h1>Activity</h1>
        <span className={`stream-state stream-${stream}`}>{STREAM_TEXT[stream]}</span>
        <button type="button" onClick={clear} disabled={events.length === 0}>
          Clear
        </button>
      </header>
      {events.length === 0 ? (
        <p className="empty">
          No events since this window opened. What the engine does appears here as it happens; try “Ping engine” in
          About.
        </p>
      ) : (
        <>
          {events.length >= limit && <p className="hint">Showing the latest {limit} events.</p>}
          <ol className="event-list" aria-label="Engine events">
            {events.map((event) => (
              <EventRow key={`${event.seq}-${event.time}`} event={event} />
            ))}
          </ol>
        </>
      )}
      <WebhookLog active={active} />
    </div>
  );
}

function EventRow({ event }: { event: AnyEngineEvent }) {
  return (
    <li className="event-row">
      <time dateTime={event.time}>{new Date(event.time).toLocaleTimeString()}</time>
      <code className="event-type">{event.type}</code>
      <span className="event-actor">{event.actor}</span>
      <code className="event-data">{JSON.stringify(event.data)}</code>
    </li>
  );
}
