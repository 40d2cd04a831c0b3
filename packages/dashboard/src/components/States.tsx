import type { ComponentChildren } from 'preact';
import { ApiError } from '../lib/api';

/** An empty list that says what to do next (a command to run, a page to visit). */
export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty" role="status">
      <p class="empty-title">{title}</p>
      {children ? <div class="empty-next">{children}</div> : null}
    </div>
  );
}

export function Loading() {
  return (
    <p class="muted" role="status" aria-live="polite">
      Loading…
    </p>
  );
}

/** An API error with its code and the catalogue's hint. */
export function ErrorNote({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <strong>{error instanceof ApiError ? error.code : 'Error'}</strong> {error.message}
      {error instanceof ApiError && error.hint ? <div class="hint">{error.hint}</div> : null}
    </div>
  );
}

/** A command the reader can copy: the CLI's way to the same thing. */
export function Cmd({ children }: { children: string }) {
  return <code class="cmd">{children}</code>;
}
