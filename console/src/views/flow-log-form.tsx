/**
 * Create (CreateFlowLog) or modify (ModifyFlowLogAttribute) a flow log. The resource is picked from the
 * account's VPCs, vSwitches and ENIs in the region; the API validates everything and its error is shown.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Client, Eni, FlowLog, Vpc, VSwitch } from '../client.js';
import { ErrorBox } from '../ui/error-box.js';

interface Resources {
  vpcs: Vpc[];
  vswitches: VSwitch[];
  enis: Eni[];
}

type ResourceType = 'VPC' | 'VSwitch' | 'NetworkInterface';

export function FlowLogForm(props: {
  client: Client;
  region: string;
  flowLog: FlowLog | undefined;
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const { client, region, flowLog } = props;
  const [name, setName] = useState(flowLog?.FlowLogName ?? '');
  const [description, setDescription] = useState(flowLog?.Description ?? '');
  const [interval, setIntervalMinutes] = useState(String(flowLog?.AggregationInterval ?? 10));
  const [resourceType, setResourceType] = useState<ResourceType>('VPC');
  const [resourceId, setResourceId] = useState('');
  const [trafficType, setTrafficType] = useState('All');
  const [project, setProject] = useState('');
  const [logstore, setLogstore] = useState('');
  const [resources, setResources] = useState<Resources>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (flowLog) return;
    Promise.all([client.vpcs(region), client.vswitches(region), client.enis(region)]).then(
      ([vpcs, vswitches, enis]) => setResources({ vpcs, vswitches, enis }),
      setError,
    );
  }, [client, region, flowLog]);

  const options = !resources
    ? []
    : resourceType === 'VPC'
      ? resources.vpcs.map((v) => ({ id: v.VpcId, label: `${v.VpcId} ${v.VpcName} (${v.CidrBlock})` }))
      : resourceType === 'VSwitch'
        ? resources.vswitches.map((v) => ({
            id: v.VSwitchId,
            label: `${v.VSwitchId} ${v.VSwitchName} (${v.CidrBlock})`,
          }))
        : resources.enis.map((e) => ({
            id: e.NetworkInterfaceId,
            label: `${e.NetworkInterfaceId} (${e.PrivateIpAddress})`,
          }));

  useEffect(() => {
    if (!options.some((o) => o.id === resourceId)) setResourceId(options[0]?.id ?? '');
  }, [resourceType, resources]);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (flowLog) {
        await client.rpc('Vpc', 'ModifyFlowLogAttribute', {
          RegionId: region,
          FlowLogId: flowLog.FlowLogId,
          FlowLogName: name,
          Description: description,
          AggregationInterval: interval,
        });
        props.onDone(`${flowLog.FlowLogId} is being modified.`);
      } else {
        const res = await client.rpc<{ FlowLogId: string }>('Vpc', 'CreateFlowLog', {
          RegionId: region,
          FlowLogName: name,
          Description: description,
          ResourceType: resourceType,
          ResourceId: resourceId,
          TrafficType: trafficType,
          ProjectName: project,
          LogStoreName: logstore,
          AggregationInterval: interval,
        });
        props.onDone(`Flow log ${res.FlowLogId} created.`);
      }
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form class="form form-grid" onSubmit={submit}>
      <div class="field">
        <label for="fl-name">Name</label>
        <input id="fl-name" value={name} maxLength={128} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="fl-description">Description</label>
        <input
          id="fl-description"
          value={description}
          maxLength={256}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
      </div>
      {flowLog ? null : (
        <>
          <div class="field">
            <label for="fl-resource-type">Resource type</label>
            <select
              id="fl-resource-type"
              value={resourceType}
              onChange={(e) => setResourceType(e.currentTarget.value as ResourceType)}
            >
              <option value="VPC">VPC</option>
              <option value="VSwitch">vSwitch</option>
              <option value="NetworkInterface">ENI</option>
            </select>
          </div>
          <div class="field">
            <label for="fl-resource">Resource</label>
            <select
              id="fl-resource"
              required
              value={resourceId}
              disabled={!resources}
              onChange={(e) => setResourceId(e.currentTarget.value)}
            >
              {!resources ? <option value="">Loading…</option> : null}
              {resources && options.length === 0 ? <option value="">None in {region}</option> : null}
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="fl-traffic">Traffic type</label>
            <select
              id="fl-traffic"
              value={trafficType}
              onChange={(e) => setTrafficType(e.currentTarget.value)}
            >
              <option value="All">All</option>
              <option value="Allow">Allow (accepted)</option>
              <option value="Drop">Drop (rejected)</option>
            </select>
          </div>
          <div class="field">
            <label for="fl-project">SLS project</label>
            <input
              id="fl-project"
              required
              spellcheck={false}
              value={project}
              onInput={(e) => setProject(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="fl-logstore">Logstore</label>
            <input
              id="fl-logstore"
              required
              spellcheck={false}
              value={logstore}
              onInput={(e) => setLogstore(e.currentTarget.value)}
            />
          </div>
        </>
      )}
      <div class="field">
        <label for="fl-interval">Aggregation interval</label>
        <select id="fl-interval" value={interval} onChange={(e) => setIntervalMinutes(e.currentTarget.value)}>
          <option value="1">1 minute</option>
          <option value="5">5 minutes</option>
          <option value="10">10 minutes</option>
        </select>
      </div>
      <div class="form-span">
        <ErrorBox
          error={error}
          title={flowLog ? 'Could not modify the flow log' : 'Could not create the flow log'}
        />
      </div>
      <div class="dialog-actions form-span">
        <button type="button" class="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={busy}>
          {flowLog ? 'Save' : 'Create'}
        </button>
      </div>
    </form>
  );
}
