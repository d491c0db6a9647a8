/**
 * Seed files: a ready world at start-up (`vpcflow serve --seed FILE`, JSON or YAML). They declare
 * accounts with AccessKeys, resource groups, log projects with logstores, and VPCs with vSwitches,
 * security groups and ENIs. Resources are made by the same service functions as the API, so a seeded
 * world obeys the API's rules.
 *
 * Idempotent: loading the same file again changes nothing. An entry with an `id` is created if absent
 * and otherwise left as it is (never updated). An entry without an `id` is matched by its natural key
 * within its parent: VPCs, vSwitches and security groups by `name`, ENIs by `primaryIp` and then `name`;
 * such an entry must therefore have a name (or, for an ENI, an address). Log projects and logstores are
 * keyed by name; a project name taken by another account in the region is an error.
 *
 * An account's `exporters` bind flow exporters to the VPC they watch, as `PUT /_vpcflow/exporters`
 * does: `{address, port?, observationDomainId?, region, vpc}`, `vpc` being an ID or a name of that
 * account and region (VPCs are applied first, so one declared in the same account entry is found).
 * Omitted port / domain match any. A binding is keyed by (address, port, domain): loading it again
 * changes nothing, and a key already bound to another VPC (by an earlier file or the admin endpoint)
 * is re-bound to the file's VPC; the same key bound to two VPCs within one file is an error.
 *
 * A bad file stops start-up with a ConfigError naming the file, the entry and the problem; one file is
 * applied in one transaction, so a bad file leaves nothing behind.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../config.js';
import { canonicalAddress } from '../dataplane/pipeline/exporter-address.js';
import { ApiError } from '../protocol/errors.js';
import { validateParams, type ParamSpecs } from '../protocol/params.js';
import {
  createNetworkInterface,
  NETWORK_INTERFACE_FIELD_SPECS,
} from '../products/ecs/network-interfaces/network-interface-service.js';
import {
  createSecurityGroup,
  SECURITY_GROUP_FIELD_SPECS,
} from '../products/ecs/security-groups/security-group-service.js';
import { findRegion } from '../products/regions/region-catalog.js';
import { createLogProject, PROJECT_NAME } from '../products/sls/service/log-projects.js';
import {
  createLogstore,
  LOGSTORE_NAME,
  LOGSTORE_SHARDS,
  LOGSTORE_TTL,
} from '../products/sls/service/logstores.js';
import { SlsError } from '../protocol/sls/sls-errors.js';
import type { Services } from '../products/services.js';
import {
  checkVpcCidr,
  createVpc,
  DEFAULT_VPC_CIDR,
  VPC_FIELD_SPECS,
} from '../products/vpc/vpcs/vpc-service.js';
import {
  createVswitch,
  parseVswitchCidr,
  VSWITCH_FIELD_SPECS,
} from '../products/vpc/vswitches/vswitch-service.js';
import { ANY, type ExporterBindingRepo } from '../store/repos/exporter-binding-repo.js';
import type { LogProjectRow } from '../store/repos/log-repo.js';
import type { Scope, SecurityGroupRow, VpcRow, VswitchRow } from '../store/repos/network-repo.js';
import type { Repos } from '../store/store.js';
import { asObject, integerField, listField, SeedError, stringField, type SeedObject } from './seed-reader.js';

const ACCESS_KEY_ID = /^[A-Za-z0-9._-]{8,128}$/;
const RESOURCE_GROUP_ID = /^rg-[a-z0-9]{4,60}$/;
// The admin endpoint's ranges; absent means any (ANY).
const EXPORTER_PORT = { min: 1, max: 65535, default: ANY };
const OBSERVATION_DOMAIN = { min: 0, max: 0xffffffff, default: ANY };

/** Loads every seed file in order; the first bad one stops start-up. */
export async function loadSeedFiles(files: readonly string[], services: Services): Promise<void> {
  for (const file of files) {
    const seed = await readSeedFile(file);
    // Store.transaction's repositories do not include the exporter bindings: open the transaction here.
    await services.store.transaction((repos) => applySeed(seed, repos, services));
  }
}

export interface ParsedSeed {
  file: string;
  doc: unknown;
}

/** Reads and parses one seed file (nothing is written yet). */
export async function readSeedFile(file: string): Promise<ParsedSeed> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`seed file ${file}: cannot be read: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const kind = /\.json$/i.test(file) ? 'JSON' : 'YAML';
    throw new ConfigError(
      `seed file ${file}: is not valid ${kind}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return { file, doc };
}

/** Applies a parsed seed file inside the caller's transaction (`repos`). */
export async function applySeed(seed: ParsedSeed, repos: Repos, services: Services): Promise<void> {
  try {
    await new SeedLoader(repos, repos.exporters, services).apply(seed.doc);
  } catch (err) {
    if (err instanceof SeedError)
      throw new ConfigError(`seed file ${seed.file}: ${err.path}: ${err.problem}`);
    throw err;
  }
}

/** Error codes of the services, mapped to the entry field they are about. */
const FIELD_OF_CODE: Record<string, string> = {
  'InvalidCidrBlock.Overlapped': 'cidrBlock',
  InvalidParameter: 'cidrBlock',
  'InvalidResourceGroup.NotFound': 'resourceGroup',
  'InvalidPrivateIpAddress.Duplicated': 'primaryIp',
  'InvalidVSwitchId.IpInvalid': 'primaryIp',
  'InvalidVSwitchId.IpNotEnough': 'primaryIp',
  'InvalidOperation.VpcMismatch': 'securityGroups',
};

/** Runs a service call for the entry at `path`, turning an API error into a SeedError. */
async function at<T>(path: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError) {
      const field = FIELD_OF_CODE[err.code];
      const where = field && !path.endsWith(`.${field}`) ? `${path}.${field}` : path;
      throw new SeedError(where, `${err.message} (${err.code})`);
    }
    throw err;
  }
}

/** Whether `err` is the SLS service's refusal of a name already taken (the seed then finds the existing one). */
function alreadyExists(err: unknown, code: 'ProjectAlreadyExist' | 'LogStoreAlreadyExist'): boolean {
  return err instanceof SlsError && err.errorCode === code;
}

/** Checks one value against the API's parameter spec (same rule, same message). */
function checkField(specs: ParamSpecs, param: string, value: string | undefined, path: string): void {
  if (value === undefined) return;
  try {
    validateParams({ [param]: specs[param] } as ParamSpecs, { [param]: value });
  } catch (err) {
    if (err instanceof ApiError) throw new SeedError(path, `${err.message} (${err.code})`);
    throw err;
  }
}

/** The resources whose IDs a seed file may give, with their ID prefixes. */
const ID_PREFIX = { vpc: 'vpc', vswitch: 'vsw', security_group: 'sg', network_interface: 'eni' } as const;
type IdKind = keyof typeof ID_PREFIX;

class SeedLoader {
  /** Exporter keys bound so far in this file, to the VPC and the entry that bound them. */
  readonly #exporters = new Map<string, { vpcId: string; path: string }>();

  constructor(
    private readonly repos: Repos,
    private readonly bindings: ExporterBindingRepo,
    private readonly services: Services,
  ) {}

  async apply(doc: unknown): Promise<void> {
    const root = asObject(doc ?? {}, '(root)', ['accounts']);
    const accounts = listField(root, 'accounts', '(root)');
    for (const [i, entry] of accounts.entries()) await this.#account(entry, `accounts[${i}]`);
  }

  async #account(entry: unknown, path: string): Promise<void> {
    const obj = asObject(entry, path, [
      'id',
      'accessKeys',
      'resourceGroups',
      'logProjects',
      'vpcs',
      'exporters',
    ]);
    const accountId = stringField(obj, 'id', path, true);
    if (!/^\d{16}$/.test(accountId))
      throw new SeedError(`${path}.id`, `must be 16 digits, got "${accountId}"`);
    // The bootstrap account already exists; ensureAccount is idempotent, so one call serves both cases.
    await this.services.identity.ensureAccount(accountId, this.repos);
    for (const [j, key] of listField(obj, 'accessKeys', path).entries()) {
      await this.#accessKey(accountId, key, `${path}.accessKeys[${j}]`);
    }
    for (const [j, group] of listField(obj, 'resourceGroups', path).entries()) {
      await this.#resourceGroup(accountId, group, `${path}.resourceGroups[${j}]`);
    }
    for (const [j, project] of listField(obj, 'logProjects', path).entries()) {
      await this.#logProject(accountId, project, `${path}.logProjects[${j}]`);
    }
    for (const [j, vpc] of listField(obj, 'vpcs', path).entries()) {
      await this.#vpc(accountId, vpc, `${path}.vpcs[${j}]`);
    }
    // After the VPCs: an exporter may name one declared above.
    for (const [j, exporter] of listField(obj, 'exporters', path).entries()) {
      await this.#exporter(accountId, exporter, `${path}.exporters[${j}]`);
    }
  }

  /** Binds an exporter (address, port, domain) to a VPC of this account, as PUT /_vpcflow/exporters. */
  async #exporter(accountId: string, entry: unknown, path: string): Promise<void> {
    const obj = asObject(entry, path, ['address', 'port', 'observationDomainId', 'region', 'vpc']);
    const text = stringField(obj, 'address', path, true);
    const address = canonicalAddress(text);
    if (address === undefined) throw new SeedError(`${path}.address`, `"${text}" is not an IP address`);
    const port = integerField(obj, 'port', path, EXPORTER_PORT);
    const domain = integerField(obj, 'observationDomainId', path, OBSERVATION_DOMAIN);
    const scope: Scope = { accountId, regionId: this.#region(obj, path) };
    const vpcId = await this.#vpcId(scope, stringField(obj, 'vpc', path, true), `${path}.vpc`);
    const key = `${address} ${port} ${domain}`;
    const earlier = this.#exporters.get(key);
    if (earlier && earlier.vpcId !== vpcId) {
      throw new SeedError(path, `this exporter is already bound to ${earlier.vpcId} by ${earlier.path}`);
    }
    this.#exporters.set(key, { vpcId, path });
    // An upsert keyed by (address, port, domain): the same binding again leaves the row as it is.
    await this.bindings.put({
      address,
      port,
      observation_domain_id: domain,
      account_id: scope.accountId,
      region_id: scope.regionId,
      vpc_id: vpcId,
      created_at: Date.now(),
    });
  }

  /** A VPC of the scope named by ID, or by name when that name is unique in the scope. */
  async #vpcId(scope: Scope, ref: string, path: string): Promise<string> {
    const byId = await this.repos.network.getVpc(scope.accountId, scope.regionId, ref);
    if (byId) return byId.vpc_id;
    const named = await this.repos.network.vpcsNamed(scope, ref);
    if (named.length > 1) {
      throw new SeedError(
        path,
        `"${ref}" names ${named.length} VPCs in ${scope.accountId}/${scope.regionId}; use the VPC ID`,
      );
    }
    if (named[0]) return named[0].vpc_id;
    throw new SeedError(
      path,
      `no VPC "${ref}" in ${scope.accountId}/${scope.regionId} (by ID, or by name) (InvalidVpcId.NotFound)`,
    );
  }

  async #accessKey(accountId: string, entry: unknown, path: string): Promise<void> {
    const obj = asObject(entry, path, ['id', 'secret']);
    const id = stringField(obj, 'id', path, true);
    const secret = stringField(obj, 'secret', path, true);
    if (!ACCESS_KEY_ID.test(id)) {
      throw new SeedError(`${path}.id`, 'must be 8 to 128 letters, digits, ".", "_" or "-"');
    }
    if (secret.length < 8) throw new SeedError(`${path}.secret`, 'must be at least 8 characters');
    const existing = await this.repos.identity.getAccessKey(id);
    if (existing && existing.account_id !== accountId) {
      throw new SeedError(`${path}.id`, `AccessKey ${id} already belongs to account ${existing.account_id}`);
    }
    await this.repos.identity.putAccessKey(
      {
        access_key_id: id,
        account_id: accountId,
        // Sealed at rest like every secret; unchanged when the seed file is loaded again.
        secret: this.services.identity.sealedFor(secret, existing?.secret),
        status: 'Active',
        principal_type: 'account',
      },
      Date.now(),
    );
  }

  async #resourceGroup(accountId: string, entry: unknown, path: string): Promise<void> {
    const obj = asObject(entry, path, ['id', 'name', 'displayName']);
    const id = stringField(obj, 'id', path, true);
    const name = stringField(obj, 'name', path, true);
    if (!RESOURCE_GROUP_ID.test(id)) {
      throw new SeedError(`${path}.id`, 'must be "rg-" followed by 4 to 60 lower-case letters or digits');
    }
    if (!/^[A-Za-z0-9._-]{1,50}$/.test(name)) {
      throw new SeedError(`${path}.name`, 'must be 1 to 50 letters, digits, ".", "_" or "-"');
    }
    await this.repos.identity.putResourceGroup({
      account_id: accountId,
      resource_group_id: id,
      name,
      display_name: stringField(obj, 'displayName', path) ?? name,
      is_default: 0,
      created_at: Date.now(),
    });
  }

  async #logProject(accountId: string, entry: unknown, path: string): Promise<void> {
    const obj = asObject(entry, path, ['region', 'name', 'description', 'logstores']);
    const regionId = this.#region(obj, path);
    const name = stringField(obj, 'name', path, true);
    if (!PROJECT_NAME.test(name)) {
      throw new SeedError(
        `${path}.name`,
        `"${name}" is not a valid project name: 3 to 63 lower-case letters, digits or "-", starting and ending with a letter or digit`,
      );
    }
    let project: LogProjectRow | undefined;
    try {
      const description = stringField(obj, 'description', path) ?? '';
      project = await createLogProject(this.repos, { regionId, accountId, name, description }, Date.now());
    } catch (err) {
      if (!alreadyExists(err, 'ProjectAlreadyExist')) throw err;
      // Project names are unique per region across accounts (they are host names).
      project = await this.repos.logs.getProject(regionId, name);
      if (project?.account_id !== accountId) {
        throw new SeedError(
          `${path}.name`,
          `project "${name}" already exists in ${regionId} for another account`,
        );
      }
    }
    for (const [k, store] of listField(obj, 'logstores', path).entries()) {
      await this.#logstore(project, store, `${path}.logstores[${k}]`);
    }
  }

  async #logstore(project: LogProjectRow, entry: unknown, path: string): Promise<void> {
    // A logstore is a name, or an object with a name and optional ttl (days) and shardCount.
    const obj: SeedObject =
      typeof entry === 'string' ? { name: entry } : asObject(entry, path, ['name', 'ttl', 'shardCount']);
    const name = stringField(obj, 'name', path, true);
    const namePath = typeof entry === 'string' ? path : `${path}.name`;
    if (!LOGSTORE_NAME.test(name)) {
      throw new SeedError(
        namePath,
        `"${name}" is not a valid logstore name: 3 to 63 lower-case letters, digits, "-" or "_", starting and ending with a letter or digit`,
      );
    }
    const input = {
      name,
      ttlDays: integerField(obj, 'ttl', path, LOGSTORE_TTL),
      shardCount: integerField(obj, 'shardCount', path, LOGSTORE_SHARDS),
    };
    try {
      await createLogstore(this.repos, project, input, Date.now());
    } catch (err) {
      // An existing logstore is left as it is (seed files never update).
      if (!alreadyExists(err, 'LogStoreAlreadyExist')) throw err;
    }
  }

  #region(obj: SeedObject, path: string): string {
    const regionId = stringField(obj, 'region', path, true);
    if (!findRegion(regionId)) throw new SeedError(`${path}.region`, `unknown region "${regionId}"`);
    return regionId;
  }

  /**
   * Checks that an explicit ID is free or already ours in this scope; returns whether it exists.
   * IDs are global keys, so one used by another account or region cannot be reused.
   */
  async #idInScope(kind: IdKind, id: string, scope: Scope, path: string): Promise<boolean> {
    const prefix = ID_PREFIX[kind];
    if (!new RegExp(`^${prefix}-[a-z0-9]{4,40}$`).test(id)) {
      throw new SeedError(
        `${path}.id`,
        `must be "${prefix}-" followed by 4 to 40 lower-case letters or digits`,
      );
    }
    const owner = await this.repos.network.ownerOf(kind, id);
    if (!owner) return false;
    if (owner.accountId !== scope.accountId || owner.regionId !== scope.regionId) {
      throw new SeedError(`${path}.id`, `${id} is already used by another account or region`);
    }
    return true;
  }

  /**
   * The existing resource an entry names, or undefined when it is still to be made: by its `id` (free,
   * or already ours in this scope: #idInScope), else by the first natural key the entry gives (`keys`,
   * in order). An entry with none of them could not be recognised on the next start and is refused.
   */
  async #existing<T>(
    kind: IdKind,
    scope: Scope,
    path: string,
    id: string | undefined,
    byId: (id: string) => Promise<T | undefined>,
    keys: readonly [
      field: string,
      value: string | undefined,
      find: (value: string) => Promise<T | undefined>,
    ][],
  ): Promise<T | undefined> {
    if (id !== undefined) return (await this.#idInScope(kind, id, scope, path)) ? byId(id) : undefined;
    for (const [, value, find] of keys) if (value !== undefined) return find(value);
    const fields = ['id', ...keys.map(([field]) => field)].map(
      (f) => `a${/^[aeiou]/.test(f) ? 'n' : ''} "${f}"`,
    );
    throw new SeedError(
      path,
      `needs ${fields.slice(0, -1).join(', ')} or ${fields[fields.length - 1]}, so that a restart recognises it`,
    );
  }

  async #vpc(accountId: string, entry: unknown, path: string): Promise<void> {
    const obj = asObject(entry, path, [
      'region',
      'id',
      'name',
      'description',
      'cidrBlock',
      'resourceGroup',
      'vswitches',
      'securityGroups',
    ]);
    const scope: Scope = { accountId, regionId: this.#region(obj, path) };
    const id = stringField(obj, 'id', path);
    const name = stringField(obj, 'name', path);
    const description = stringField(obj, 'description', path);
    const cidrBlock = stringField(obj, 'cidrBlock', path) ?? DEFAULT_VPC_CIDR;
    checkField(VPC_FIELD_SPECS, 'VpcName', name, `${path}.name`);
    checkField(VPC_FIELD_SPECS, 'Description', description, `${path}.description`);
    await at(`${path}.cidrBlock`, () => checkVpcCidr(cidrBlock));
    const network = this.repos.network;
    let vpc: VpcRow | undefined = await this.#existing(
      'vpc',
      scope,
      path,
      id,
      (vpcId) => network.getVpc(accountId, scope.regionId, vpcId),
      [['name', name, async (n) => (await network.vpcsNamed(scope, n))[0]]],
    );
    vpc ??= await at(path, () =>
      createVpc(this.repos, scope, {
        id,
        name,
        description,
        cidrBlock,
        resourceGroupId: stringField(obj, 'resourceGroup', path),
      }),
    );
    // Security groups first: the ENIs below refer to them.
    for (const [k, group] of listField(obj, 'securityGroups', path).entries()) {
      await this.#securityGroup(scope, vpc, group, `${path}.securityGroups[${k}]`);
    }
    for (const [k, vswitch] of listField(obj, 'vswitches', path).entries()) {
      await this.#vswitch(scope, vpc, vswitch, `${path}.vswitches[${k}]`);
    }
  }

  async #securityGroup(scope: Scope, vpc: VpcRow, entry: unknown, path: string): Promise<void> {
    const obj = asObject(entry, path, ['id', 'name', 'description', 'resourceGroup']);
    const id = stringField(obj, 'id', path);
    const name = stringField(obj, 'name', path);
    const description = stringField(obj, 'description', path);
    checkField(SECURITY_GROUP_FIELD_SPECS, 'SecurityGroupName', name, `${path}.name`);
    checkField(SECURITY_GROUP_FIELD_SPECS, 'Description', description, `${path}.description`);
    const network = this.repos.network;
    const group: SecurityGroupRow | undefined = await this.#existing(
      'security_group',
      scope,
      path,
      id,
      (groupId) => network.getSecurityGroup(scope.accountId, scope.regionId, groupId),
      [['name', name, async (n) => (await network.securityGroupsNamed(scope, vpc.vpc_id, n))[0]]],
    );
    if (group && group.vpc_id !== vpc.vpc_id) {
      throw new SeedError(
        `${path}.id`,
        `${group.security_group_id} already exists in another VPC (${group.vpc_id})`,
      );
    }
    if (!group) {
      await at(path, () =>
        createSecurityGroup(this.repos, scope, {
          id,
          vpcId: vpc.vpc_id,
          name,
          description,
          resourceGroupId: stringField(obj, 'resourceGroup', path),
        }),
      );
    }
  }

  async #vswitch(scope: Scope, vpc: VpcRow, entry: unknown, path: string): Promise<void> {
    const obj = asObject(entry, path, [
      'id',
      'name',
      'description',
      'zone',
      'cidrBlock',
      'networkInterfaces',
    ]);
    const id = stringField(obj, 'id', path);
    const name = stringField(obj, 'name', path);
    const description = stringField(obj, 'description', path);
    const zoneId = stringField(obj, 'zone', path, true);
    const cidrBlock = stringField(obj, 'cidrBlock', path, true);
    checkField(VSWITCH_FIELD_SPECS, 'VSwitchName', name, `${path}.name`);
    checkField(VSWITCH_FIELD_SPECS, 'Description', description, `${path}.description`);
    const region = findRegion(scope.regionId);
    if (!region?.zones.includes(zoneId)) {
      throw new SeedError(
        `${path}.zone`,
        `"${zoneId}" is not a zone of ${scope.regionId} (zones: ${region?.zones.join(', ')})`,
      );
    }
    await at(`${path}.cidrBlock`, () => parseVswitchCidr(cidrBlock));
    const network = this.repos.network;
    let vswitch: VswitchRow | undefined = await this.#existing(
      'vswitch',
      scope,
      path,
      id,
      (vswitchId) => network.getVswitch(scope.accountId, scope.regionId, vswitchId),
      [['name', name, async (n) => (await network.vswitchesOfVpc(vpc.vpc_id)).find((v) => v.name === n)]],
    );
    if (vswitch && vswitch.vpc_id !== vpc.vpc_id) {
      throw new SeedError(
        `${path}.id`,
        `${vswitch.vswitch_id} already exists in another VPC (${vswitch.vpc_id})`,
      );
    }
    vswitch ??= await at(path, () =>
      createVswitch(this.repos, scope, { id, vpcId: vpc.vpc_id, zoneId, cidrBlock, name, description }),
    );
    for (const [m, eni] of listField(obj, 'networkInterfaces', path).entries()) {
      await this.#networkInterface(scope, vswitch, eni, `${path}.networkInterfaces[${m}]`);
    }
  }

  async #networkInterface(scope: Scope, vswitch: VswitchRow, entry: unknown, path: string): Promise<void> {
    const obj = asObject(entry, path, [
      'id',
      'name',
      'description',
      'primaryIp',
      'securityGroup',
      'securityGroups',
      'resourceGroup',
    ]);
    const id = stringField(obj, 'id', path);
    const name = stringField(obj, 'name', path);
    const primaryIp = stringField(obj, 'primaryIp', path);
    const description = stringField(obj, 'description', path);
    checkField(NETWORK_INTERFACE_FIELD_SPECS, 'NetworkInterfaceName', name, `${path}.name`);
    checkField(NETWORK_INTERFACE_FIELD_SPECS, 'Description', description, `${path}.description`);
    const network = this.repos.network;
    const existing = await this.#existing(
      'network_interface',
      scope,
      path,
      id,
      (eniId) => network.getNetworkInterface(scope.accountId, scope.regionId, eniId),
      [
        ['primaryIp', primaryIp, (ip) => network.networkInterfaceWithIp(vswitch.vpc_id, ip)],
        [
          'name',
          name,
          async (n) =>
            (
              await network.listNetworkInterfaces(
                scope,
                { vswitchId: vswitch.vswitch_id, name: n },
                { offset: 0, limit: 1 },
              )
            ).rows[0],
        ],
      ],
    );
    if (existing) {
      if (existing.vswitch_id !== vswitch.vswitch_id) {
        const what = id !== undefined ? `${id} already exists` : `address ${primaryIp} is already used`;
        throw new SeedError(
          id !== undefined ? `${path}.id` : `${path}.primaryIp`,
          `${what} in another vSwitch (${existing.vswitch_id})`,
        );
      }
      return;
    }
    const groupRefs = [
      ...(obj['securityGroup'] !== undefined ? [stringField(obj, 'securityGroup', path, true)] : []),
      ...listField(obj, 'securityGroups', path).map((ref, k) => {
        if (typeof ref !== 'string') throw new SeedError(`${path}.securityGroups[${k}]`, 'must be a string');
        return ref;
      }),
    ];
    if (groupRefs.length === 0) throw new SeedError(path, 'needs a "securityGroup" (or "securityGroups")');
    const groupIds: string[] = [];
    for (const ref of groupRefs)
      groupIds.push(await this.#groupId(scope, vswitch.vpc_id, ref, `${path}.securityGroup`));
    await at(path, () =>
      createNetworkInterface(this.repos, scope, {
        id,
        vswitchId: vswitch.vswitch_id,
        securityGroupIds: groupIds,
        primaryIp,
        name,
        description,
        resourceGroupId: stringField(obj, 'resourceGroup', path),
      }),
    );
  }

  /** A security group named by ID (any in the scope) or by name (one of this VPC). */
  async #groupId(scope: Scope, vpcId: string, ref: string, path: string): Promise<string> {
    const byId = await this.repos.network.getSecurityGroup(scope.accountId, scope.regionId, ref);
    if (byId) return byId.security_group_id;
    const byName = (await this.repos.network.securityGroupsNamed(scope, vpcId, ref))[0];
    if (byName) return byName.security_group_id;
    throw new SeedError(path, `no security group "${ref}" (by ID, or by name in this VPC)`);
  }
}
