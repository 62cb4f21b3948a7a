/**
 * An example component for `useSSE` (./use-sse.ts): the messages of the stream at `url` as a
 * list, and the error that ended it, if any.
 */
import { useSSE } from "./use-sse.js";

export function EventFeed({ url }: { url: string }) {
  const { messages, error } = useSSE(url);
  return (
    <section>
      <ul>
        {messages.map((message, index) => (
          // Events with an `id:` have a key of their own; others fall back to their position.
          <li key={message.id ?? `#${index}`}>{message.data}</li>
        ))}
      </ul>
      {error && <p role="alert">{error.message}</p>}
    </section>
  );
}
