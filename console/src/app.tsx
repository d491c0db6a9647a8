/** The shell: sign-in gate, header with navigation and region picker, and hash routes. */
import { useEffect, useState } from 'preact/hooks';
import { Client, type Region } from './client.js';
import { loadCredentials, loadRegion, saveCredentials, saveRegion } from './session.js';
import { ErrorBox } from './ui/error-box.js';
import { FlowLogsView } from './views/flow-logs.js';
import { NetworkView } from './views/network.js';
import { SignIn } from './views/sign-in.js';
import { TrafficView } from './views/traffic.js';

type Route = { view: 'flowlogs' } | { view: 'traffic'; flowLogId: string } | { view: 'network' };

function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'network') return { view: 'network' };
  if (parts[0] === 'flowlogs' && parts[1])
    return { view: 'traffic', flowLogId: decodeURIComponent(parts[1]) };
  return { view: 'flowlogs' };
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

export function App() {
  const [client, setClient] = useState<Client | undefined>(() => {
    const saved = loadCredentials();
    return saved ? new Client(saved) : undefined;
  });
  const [regions, setRegions] = useState<Region[]>([]);
  const [region, setRegion] = useState(loadRegion);
  const [error, setError] = useState<unknown>();
  const route = useRoute();

  useEffect(() => {
    if (!client || regions.length > 0) return;
    client.regions().then(setRegions, setError);
  }, [client]);

  useEffect(() => {
    const title =
      route.view === 'network' ? 'Network' : route.view === 'traffic' ? route.flowLogId : 'Flow logs';
    document.title = `${title} · vpcflow console`;
  }, [route]);

  if (!client) {
    return (
      <SignIn
        onSignedIn={(c, r) => {
          saveCredentials(c.credentials);
          setRegions(r);
          setClient(c);
        }}
      />
    );
  }

  const signOut = () => {
    saveCredentials(undefined);
    setRegions([]);
    setClient(undefined);
  };
  const changeRegion = (value: string) => {
    saveRegion(value);
    setRegion(value);
    if (route.view === 'traffic') location.hash = '#/flowlogs';
  };

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="#/flowlogs">
          <span class="brand-mark" aria-hidden="true" />
          vpcflow
        </a>
        <nav aria-label="Main">
          <a href="#/flowlogs" aria-current={route.view !== 'network' ? 'page' : undefined}>
            Flow logs
          </a>
          <a href="#/network" aria-current={route.view === 'network' ? 'page' : undefined}>
            Network
          </a>
        </nav>
        <div class="topbar-end">
          <label class="inline-field">
            <span>Region</span>
            <select value={region} onChange={(e) => changeRegion(e.currentTarget.value)}>
              {(regions.length > 0 ? regions : [{ RegionId: region, LocalName: region }]).map((r) => (
                <option key={r.RegionId} value={r.RegionId}>
                  {r.LocalName && r.LocalName !== r.RegionId ? `${r.LocalName} (${r.RegionId})` : r.RegionId}
                </option>
              ))}
            </select>
          </label>
          <span class="who" title="Signed in with this AccessKey ID">
            {client.accessKeyId}
          </span>
          <button type="button" class="button button-small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBox error={error} title="Could not list regions" />
        {route.view === 'network' ? (
          <NetworkView client={client} region={region} />
        ) : route.view === 'traffic' ? (
          <TrafficView client={client} region={region} flowLogId={route.flowLogId} />
        ) : (
          <FlowLogsView client={client} region={region} />
        )}
      </main>
    </>
  );
}
