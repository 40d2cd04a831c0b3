import { useEffect, useState } from 'preact/hooks';
import { api } from '@nightshift/protocol';
import { call } from '../lib/api';
import { ErrorNote } from '../components/States';

/**
 * Logs in with the code of the link `nightshift dashboard` printed (in the URL's fragment, which never reaches
 * a server), or with the API token typed in. The daemon answers with the session cookie; script never sees it.
 */
export function Login({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const [token, setToken] = useState('');

  const login = async (body: { code: string } | { token: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await call(api.login, { body });
      onLoggedIn();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const code = new URLSearchParams(location.hash.slice(1)).get('code');
    // The code is spent by this one attempt: take it out of the address bar and the history.
    if (code) {
      history.replaceState(null, '', location.pathname === '/login' ? '/' : location.pathname);
      void login({ code });
    }
  }, []);

  return (
    <main class="login" id="main">
      <h1>Nightshift</h1>
      <p>
        Run <code class="cmd">nightshift dashboard</code> on the daemon's machine and open the login link it
        prints (it works once, for 60 seconds), or paste the API token from{' '}
        <code>NIGHTSHIFT_HOME/api.token</code>.
      </p>
      <ErrorNote error={error} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) void login({ token: token.trim() });
        }}
      >
        <label for="token">API token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
