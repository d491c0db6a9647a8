/**
 * Sign in with an AccessKey. The key is checked by a signed DescribeRegions call; a wrong one shows the
 * API's answer in words (`SignatureDoesNotMatch`, `InvalidAccessKeyId.NotFound`, …). When this server still
 * uses the published development AccessKey, a button fills it in.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Credentials } from '../api/rpc.js';
import { Client, type Region } from '../client.js';
import { ErrorBox } from '../ui/error-box.js';

interface ConsoleConfig {
  developmentKey?: Credentials;
}

export function SignIn({ onSignedIn }: { onSignedIn: (client: Client, regions: Region[]) => void }) {
  const [accessKeyId, setAccessKeyId] = useState('');
  const [accessKeySecret, setAccessKeySecret] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [devKey, setDevKey] = useState<Credentials>();

  useEffect(() => {
    fetch('config.json')
      .then((res) => (res.ok ? (res.json() as Promise<ConsoleConfig>) : {}))
      .then((config: ConsoleConfig) => setDevKey(config.developmentKey))
      .catch(() => undefined);
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const client = new Client({ accessKeyId: accessKeyId.trim(), accessKeySecret });
    try {
      const regions = await client.regions();
      onSignedIn(client, regions);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <main id="main" class="signin">
      <div class="signin-card">
        <h1>
          <span class="brand-mark" aria-hidden="true" />
          vpcflow console
        </h1>
        <p class="muted">
          Flow logs and their traffic. Sign in with an AccessKey; it stays in this browser tab.
        </p>
        <form onSubmit={submit} class="form">
          <div class="field">
            <label for="ak-id">AccessKey ID</label>
            <input
              id="ak-id"
              name="accessKeyId"
              autoComplete="username"
              spellcheck={false}
              required
              value={accessKeyId}
              onInput={(e) => setAccessKeyId(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="ak-secret">AccessKey Secret</label>
            <input
              id="ak-secret"
              name="accessKeySecret"
              type="password"
              autoComplete="current-password"
              required
              value={accessKeySecret}
              onInput={(e) => setAccessKeySecret(e.currentTarget.value)}
            />
          </div>
          <ErrorBox error={error} title="Sign-in failed" />
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={busy}>
              Sign in
            </button>
            {devKey ? (
              <button
                type="button"
                class="button"
                onClick={() => {
                  setAccessKeyId(devKey.accessKeyId);
                  setAccessKeySecret(devKey.accessKeySecret);
                }}
              >
                Use the development AccessKey
              </button>
            ) : null}
          </div>
        </form>
      </div>
    </main>
  );
}
