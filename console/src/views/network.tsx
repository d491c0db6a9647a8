/**
 * The region's network: each VPC with its vSwitches, each vSwitch with its ENIs (and their private IPs), and
 * next to every resource the flow logs that cover it — its own and those of the vSwitch or VPC around it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Client, Eni, FlowLog, Vpc, VSwitch } from '../client.js';
import { ErrorBox } from '../ui/error-box.js';
import { StatusBadge } from '../ui/status.js';

interface Network {
  vpcs: Vpc[];
  vswitches: VSwitch[];
  enis: Eni[];
  flowLogs: FlowLog[];
}

function privateIps(eni: Eni): string[] {
  const set = eni.PrivateIpSets?.PrivateIpSet?.map((p) => p.PrivateIpAddress) ?? [];
  return set.length > 0 ? set : [eni.PrivateIpAddress];
}

function Coverage({ own, inherited }: { own: FlowLog[]; inherited: FlowLog[] }) {
  if (own.length === 0 && inherited.length === 0) return <span class="muted small">Not covered</span>;
  return (
    <ul class="coverage">
      {own.map((f) => (
        <li key={f.FlowLogId}>
          <a href={`#/flowlogs/${encodeURIComponent(f.FlowLogId)}`} class="mono">
            {f.FlowLogName || f.FlowLogId}
          </a>{' '}
          <StatusBadge status={f.Status} />
        </li>
      ))}
      {inherited.map((f) => (
        <li key={f.FlowLogId}>
          <a href={`#/flowlogs/${encodeURIComponent(f.FlowLogId)}`} class="mono">
            {f.FlowLogName || f.FlowLogId}
          </a>{' '}
          <span class="muted small">via {f.ResourceType === 'VPC' ? 'VPC' : 'vSwitch'}</span>{' '}
          <StatusBadge status={f.Status} />
        </li>
      ))}
    </ul>
  );
}

export function NetworkView({ client, region }: { client: Client; region: string }) {
  const [net, setNet] = useState<Network>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    setNet(undefined);
    setError(undefined);
    Promise.all([
      client.vpcs(region),
      client.vswitches(region),
      client.enis(region),
      client.allFlowLogs(region),
    ]).then(([vpcs, vswitches, enis, flowLogs]) => setNet({ vpcs, vswitches, enis, flowLogs }), setError);
  }, [client, region]);

  const on = (type: string, id: string) =>
    (net?.flowLogs ?? []).filter((f) => f.ResourceType === type && f.ResourceId === id);

  return (
    <section aria-labelledby="network-title">
      <div class="page-head">
        <h1 id="network-title">Network</h1>
      </div>
      <ErrorBox error={error} title="Could not read the network" />
      {!net && !error ? <p class="muted">Loading…</p> : null}
      {net && net.vpcs.length === 0 ? <p class="muted">No VPCs in {region}.</p> : null}
      {net?.vpcs.map((vpc) => {
        const vpcLogs = on('VPC', vpc.VpcId);
        const vswitches = net.vswitches.filter((v) => v.VpcId === vpc.VpcId);
        return (
          <section key={vpc.VpcId} class="panel" aria-labelledby={`vpc-${vpc.VpcId}`}>
            <div class="panel-head">
              <h2 id={`vpc-${vpc.VpcId}`}>
                VPC <span class="mono">{vpc.VpcId}</span> {vpc.VpcName ? <span>· {vpc.VpcName}</span> : null}
              </h2>
              <span class="mono muted">{vpc.CidrBlock}</span>
            </div>
            <div class="coverage-line">
              <span class="small">Flow logs on this VPC:</span> <Coverage own={vpcLogs} inherited={[]} />
            </div>
            <div class="table-wrap" tabIndex={0} aria-label={`vSwitches and ENIs of ${vpc.VpcId}`}>
              <table class="table table-compact">
                <thead>
                  <tr>
                    <th scope="col">vSwitch / ENI</th>
                    <th scope="col">Zone / status</th>
                    <th scope="col">CIDR / private IPs</th>
                    <th scope="col">Covered by</th>
                  </tr>
                </thead>
                <tbody>
                  {vswitches.map((vsw) => {
                    const vswLogs = on('VSwitch', vsw.VSwitchId);
                    const enis = net.enis.filter((e) => e.VSwitchId === vsw.VSwitchId);
                    return [
                      <tr key={vsw.VSwitchId} class="row-group">
                        <th scope="row">
                          <span class="muted small">vSwitch</span> <span class="mono">{vsw.VSwitchId}</span>
                          {vsw.VSwitchName ? <div class="small">{vsw.VSwitchName}</div> : null}
                        </th>
                        <td>{vsw.ZoneId}</td>
                        <td class="mono">{vsw.CidrBlock}</td>
                        <td>
                          <Coverage own={vswLogs} inherited={vpcLogs} />
                        </td>
                      </tr>,
                      ...enis.map((eni) => (
                        <tr key={eni.NetworkInterfaceId}>
                          <th scope="row" class="indent">
                            <span class="muted small">ENI</span>{' '}
                            <span class="mono">{eni.NetworkInterfaceId}</span>
                            {eni.InstanceId ? <div class="small muted">{eni.InstanceId}</div> : null}
                          </th>
                          <td>{eni.Status}</td>
                          <td class="mono">{privateIps(eni).join(', ')}</td>
                          <td>
                            <Coverage
                              own={on('NetworkInterface', eni.NetworkInterfaceId)}
                              inherited={[...vswLogs, ...vpcLogs]}
                            />
                          </td>
                        </tr>
                      )),
                    ];
                  })}
                  {vswitches.length === 0 ? (
                    <tr>
                      <td colSpan={4} class="empty">
                        No vSwitches.
                      </td>
                    </tr>
                  ) : null}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </section>
  );
}
