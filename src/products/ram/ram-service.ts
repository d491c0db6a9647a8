/**
 * RAM for one account: users and their AccessKeys, custom policies with versions, roles, and policy
 * attachments. System policies (system-policies.ts) exist in every account and cannot be changed.
 * Every write validates first and runs in one transaction, so a failed call changes nothing.
 *
 * Limits (RAM error-code reference): 2 AccessKeys per user; 5 versions per policy; 20 system and 5
 * custom policies per user or role; 1,000 users, 1,500 custom policies, 1,000 roles per account
 * (vpcflow's choices where the reference's older numbers are lower); policy documents of at most
 * 6,144 bytes.
 */
import { ApiError } from '../../protocol/errors.js';
import type { AccessKeyRow } from '../../store/repos/identity-repo.js';
import type {
  PolicyType,
  PrincipalKind,
  RamGroupRow,
  RamPolicyRow,
  RamRoleRow,
  RamUserRow,
} from '../../store/repos/ram-repo.js';
import type { Repos, Store } from '../../store/store.js';
import type { SecretBox } from '../identity/secret-box.js';
import {
  parsePolicyDocument,
  PolicyDocumentError,
  type PolicyDocument,
  type PolicyKind,
} from './policy/policy-document.js';
import { SYSTEM_POLICIES, systemPolicy } from './policy/system-policies.js';
import { RAM_ERRORS } from './ram-errors.js';
import { isoSeconds, newAccessKeyId, newAccessKeySecret, newRoleId, newUserId } from './ram-ids.js';

const BY_KIND = {
  User: {
    exists: RAM_ERRORS.UserPolicyExists,
    missing: RAM_ERRORS.UserPolicyNotExist,
    limit: RAM_ERRORS.LimitUserPolicy,
  },
  Role: {
    exists: RAM_ERRORS.RolePolicyExists,
    missing: RAM_ERRORS.RolePolicyNotExist,
    limit: RAM_ERRORS.LimitRolePolicy,
  },
  Group: {
    exists: RAM_ERRORS.GroupPolicyExists,
    missing: RAM_ERRORS.GroupPolicyNotExist,
    limit: RAM_ERRORS.LimitGroupPolicy,
  },
} as const;
const GROUP_NAME = /^[A-Za-z0-9-]+$/;

export const RAM_LIMITS = {
  accessKeysPerUser: 2,
  versionsPerPolicy: 5,
  systemPoliciesPerPrincipal: 20,
  customPoliciesPerPrincipal: 5,
  usersPerAccount: 1000,
  policiesPerAccount: 1500,
  rolesPerAccount: 1000,
  groupsPerAccount: 300,
  groupsPerUser: 5,
  policyDocumentBytes: 6144,
};

const NAME = /^[A-Za-z0-9._-]+$/;
const POLICY_NAME = /^[A-Za-z0-9-]+$/;
const DISPLAY_NAME = /^[\p{L}\p{N}@._ -]+$/u;

export interface UserFields {
  UserName: string;
  DisplayName?: string | undefined;
  MobilePhone?: string | undefined;
  Email?: string | undefined;
  Comments?: string | undefined;
}

export class RamService {
  constructor(
    private readonly store: Store,
    private readonly secrets: SecretBox,
  ) {}

  // Users

  async createUser(accountId: string, f: UserFields): Promise<Record<string, unknown>> {
    checkName('UserName', f.UserName, 64, NAME);
    checkUserFields('', f);
    return this.store.transaction(async (repos) => {
      if (await repos.ram.getUser(accountId, f.UserName)) throw new ApiError(RAM_ERRORS.UserExists);
      if ((await repos.ram.countUsers(accountId)) >= RAM_LIMITS.usersPerAccount)
        throw new ApiError(RAM_ERRORS.LimitUser);
      const now = Date.now();
      const row: RamUserRow = {
        user_id: newUserId(),
        account_id: accountId,
        user_name: f.UserName,
        display_name: f.DisplayName ?? f.UserName,
        mobile_phone: f.MobilePhone ?? '',
        email: f.Email ?? '',
        comments: f.Comments ?? '',
        created_at: now,
        updated_at: now,
      };
      await repos.ram.insertUser(row);
      const { UpdateDate: _omit, ...created } = userView(row);
      return created;
    });
  }

  async getUser(accountId: string, userName: string): Promise<Record<string, unknown>> {
    return userView(await this.#user(this.store.repos, accountId, userName));
  }

  async updateUser(
    accountId: string,
    userName: string,
    f: Partial<
      Record<'NewUserName' | 'NewDisplayName' | 'NewMobilePhone' | 'NewEmail' | 'NewComments', string>
    >,
  ): Promise<Record<string, unknown>> {
    if (f.NewUserName !== undefined) checkName('NewUserName', f.NewUserName, 64, NAME);
    checkUserFields('New', {
      UserName: userName,
      DisplayName: f.NewDisplayName,
      MobilePhone: f.NewMobilePhone,
      Email: f.NewEmail,
      Comments: f.NewComments,
    });
    return this.store.transaction(async (repos) => {
      const row = await this.#user(repos, accountId, userName);
      if (f.NewUserName !== undefined && f.NewUserName !== userName) {
        if (await repos.ram.getUser(accountId, f.NewUserName)) throw new ApiError(RAM_ERRORS.UserExists);
        row.user_name = f.NewUserName;
      }
      if (f.NewDisplayName !== undefined) row.display_name = f.NewDisplayName;
      if (f.NewMobilePhone !== undefined) row.mobile_phone = f.NewMobilePhone;
      if (f.NewEmail !== undefined) row.email = f.NewEmail;
      if (f.NewComments !== undefined) row.comments = f.NewComments;
      row.updated_at = Date.now();
      await repos.ram.updateUser(row);
      return userView(row);
    });
  }

  /** Name order; the Marker is the last name returned. */
  async listUsers(accountId: string, marker: string | undefined, maxItems: number) {
    const rows = await this.store.repos.ram.listUsers(accountId, decodeMarker(marker), maxItems + 1);
    const page = rows.slice(0, maxItems);
    const truncated = rows.length > maxItems;
    return {
      IsTruncated: truncated,
      ...(truncated ? { Marker: encodeMarker(page[page.length - 1]?.user_name ?? '') } : {}),
      Users: { User: page.map(userView) },
    };
  }

  async deleteUser(accountId: string, userName: string): Promise<void> {
    await this.store.transaction(async (repos) => {
      const row = await this.#user(repos, accountId, userName);
      if ((await repos.identity.userAccessKeys(row.user_id)).length > 0)
        throw new ApiError(RAM_ERRORS.DeleteUserAccessKey);
      if ((await repos.ram.attachmentsOf('User', row.user_id)).length > 0)
        throw new ApiError(RAM_ERRORS.DeleteUserPolicy);
      if ((await repos.ram.groupsOfUser(row.user_id)).length > 0)
        throw new ApiError(RAM_ERRORS.DeleteUserGroup);
      await repos.ram.deleteUser(row.user_id);
    });
  }

  // AccessKeys

  async createAccessKey(accountId: string, userName: string) {
    return this.store.transaction(async (repos) => {
      const user = await this.#user(repos, accountId, userName);
      if ((await repos.identity.userAccessKeys(user.user_id)).length >= RAM_LIMITS.accessKeysPerUser)
        throw new ApiError(RAM_ERRORS.LimitAccessKey);
      const now = Date.now();
      const secret = newAccessKeySecret();
      const key: AccessKeyRow = {
        access_key_id: newAccessKeyId(),
        account_id: accountId,
        secret: this.secrets.seal(secret),
        status: 'Active',
        principal_type: 'ram-user',
        user_id: user.user_id,
      };
      await repos.identity.putAccessKey(key, now);
      // The only time the secret leaves the server, as RAM returns it once.
      return {
        AccessKeyId: key.access_key_id,
        AccessKeySecret: secret,
        Status: 'Active',
        CreateDate: isoSeconds(now),
      };
    });
  }

  async listAccessKeys(accountId: string, userName: string) {
    const user = await this.#user(this.store.repos, accountId, userName);
    const keys = await this.store.repos.identity.userAccessKeys(user.user_id);
    return keys.map((k) => ({
      AccessKeyId: k.access_key_id,
      Status: k.status,
      CreateDate: isoSeconds(Number(k.created_at)),
    }));
  }

  async updateAccessKey(
    accountId: string,
    userName: string,
    accessKeyId: string,
    status: 'Active' | 'Inactive',
  ) {
    await this.store.transaction(async (repos) => {
      const user = await this.#user(repos, accountId, userName);
      if ((await repos.identity.setAccessKeyStatus(user.user_id, accessKeyId, status)) === 0)
        throw new ApiError(RAM_ERRORS.AccessKeyNotExist);
    });
  }

  async deleteAccessKey(accountId: string, userName: string, accessKeyId: string) {
    await this.store.transaction(async (repos) => {
      const user = await this.#user(repos, accountId, userName);
      if ((await repos.identity.deleteUserAccessKey(user.user_id, accessKeyId)) === 0)
        throw new ApiError(RAM_ERRORS.AccessKeyNotExist);
    });
  }

  // Policies

  async createPolicy(accountId: string, name: string, document: string, description: string) {
    checkName('PolicyName', name, 128, POLICY_NAME);
    checkDescription(description);
    checkDocument(document, 'identity');
    return this.store.transaction(async (repos) => {
      if (systemPolicy(name) || (await repos.ram.getPolicy(accountId, name)))
        throw new ApiError(RAM_ERRORS.PolicyExists);
      if ((await repos.ram.countPolicies(accountId)) >= RAM_LIMITS.policiesPerAccount)
        throw new ApiError(RAM_ERRORS.LimitPolicy);
      const now = Date.now();
      const row: RamPolicyRow = {
        account_id: accountId,
        policy_name: name,
        description,
        default_version: 'v1',
        next_version: 2,
        created_at: now,
        updated_at: now,
      };
      await repos.ram.insertPolicy(row, {
        account_id: accountId,
        policy_name: name,
        version_id: 'v1',
        document,
        created_at: now,
      });
      return {
        PolicyName: name,
        PolicyType: 'Custom',
        Description: description,
        DefaultVersion: 'v1',
        CreateDate: isoSeconds(now),
      };
    });
  }

  async getPolicy(accountId: string, name: string, type: string) {
    const t = checkPolicyType(type);
    if (t === 'System') {
      const p = systemPolicy(name);
      if (!p) throw new ApiError(RAM_ERRORS.PolicyNotExist);
      return {
        Policy: {
          ...systemView(p),
          AttachmentCount: await this.store.repos.ram.attachmentCount(accountId, 'System', name),
        },
        DefaultPolicyVersion: {
          VersionId: 'v1',
          IsDefaultVersion: true,
          PolicyDocument: p.document,
          CreateDate: p.createDate,
        },
      };
    }
    const row = await this.store.repos.ram.getPolicy(accountId, name);
    if (!row) throw new ApiError(RAM_ERRORS.PolicyNotExist);
    const version = await this.store.repos.ram.getPolicyVersion(accountId, name, row.default_version);
    return {
      Policy: {
        ...customView(row),
        AttachmentCount: await this.store.repos.ram.attachmentCount(accountId, 'Custom', name),
      },
      DefaultPolicyVersion: {
        VersionId: row.default_version,
        IsDefaultVersion: true,
        PolicyDocument: version?.document ?? '',
        CreateDate: isoSeconds(Number(version?.created_at ?? row.created_at)),
      },
    };
  }

  /** System policies then custom ones, in name order; the Marker is an offset into that list. */
  async listPolicies(
    accountId: string,
    type: string | undefined,
    marker: string | undefined,
    maxItems: number,
  ) {
    const t = type === undefined || type === '' ? undefined : checkPolicyType(type);
    const all: Record<string, unknown>[] = [];
    if (t !== 'Custom') for (const p of SYSTEM_POLICIES) all.push({ ...systemView(p), AttachmentCount: 0 });
    if (t !== 'System')
      for (const r of await this.store.repos.ram.listPolicies(accountId))
        all.push({ ...customView(r), AttachmentCount: 0 });
    for (const p of all) {
      p['AttachmentCount'] = await this.store.repos.ram.attachmentCount(
        accountId,
        p['PolicyType'] as PolicyType,
        p['PolicyName'] as string,
      );
    }
    const start = Number(decodeMarker(marker) || '0') || 0;
    const page = all.slice(start, start + maxItems);
    const truncated = start + maxItems < all.length;
    return {
      IsTruncated: truncated,
      ...(truncated ? { Marker: encodeMarker(String(start + maxItems)) } : {}),
      Policies: { Policy: page },
    };
  }

  async createPolicyVersion(
    accountId: string,
    name: string,
    document: string,
    setAsDefault: boolean,
    rotate: string,
  ) {
    checkDocument(document, 'identity');
    if (rotate !== 'None' && rotate !== 'DeleteOldestNonDefaultVersionWhenLimitExceeded')
      throw new ApiError(RAM_ERRORS.InvalidParameter, { name: 'RotateStrategy' });
    return this.store.transaction(async (repos) => {
      const row = await repos.ram.getPolicy(accountId, name);
      if (!row) throw new ApiError(RAM_ERRORS.PolicyNotExist);
      const versions = await repos.ram.policyVersions(accountId, name);
      if (versions.length >= RAM_LIMITS.versionsPerPolicy) {
        const oldest = versions.find((v) => v.version_id !== row.default_version);
        if (rotate === 'None' || !oldest) throw new ApiError(RAM_ERRORS.LimitPolicyVersion);
        await repos.ram.deletePolicyVersion(accountId, name, oldest.version_id);
      }
      const now = Date.now();
      const versionId = `v${row.next_version}`;
      await repos.ram.insertPolicyVersion({
        account_id: accountId,
        policy_name: name,
        version_id: versionId,
        document,
        created_at: now,
      });
      await repos.ram.updatePolicyVersions(
        accountId,
        name,
        setAsDefault ? versionId : row.default_version,
        Number(row.next_version) + 1,
        now,
      );
      return {
        VersionId: versionId,
        IsDefaultVersion: setAsDefault,
        PolicyDocument: document,
        CreateDate: isoSeconds(now),
      };
    });
  }

  async deletePolicy(accountId: string, name: string, cascading: boolean) {
    await this.store.transaction(async (repos) => {
      const row = await repos.ram.getPolicy(accountId, name);
      if (!row) throw new ApiError(RAM_ERRORS.PolicyNotExist);
      if ((await repos.ram.attachmentCount(accountId, 'Custom', name)) > 0) {
        if (!cascading) throw new ApiError(RAM_ERRORS.DeletePolicyUser);
        await repos.ram.detachEverywhere(accountId, 'Custom', name);
      }
      if (!cascading && (await repos.ram.policyVersions(accountId, name)).length > 1)
        throw new ApiError(RAM_ERRORS.DeletePolicyVersion);
      await repos.ram.deletePolicy(accountId, name);
    });
  }

  // Attachments

  async attach(
    accountId: string,
    kind: PrincipalKind,
    principalName: string,
    type: string,
    policyName: string,
  ) {
    const t = checkPolicyType(type);
    await this.store.transaction(async (repos) => {
      const id = await this.#principalId(repos, accountId, kind, principalName);
      await this.#policyExists(repos, accountId, t, policyName);
      const current = await repos.ram.attachmentsOf(kind, id);
      if (current.some((a) => a.policy_type === t && a.policy_name === policyName))
        throw new ApiError(kind === 'User' ? RAM_ERRORS.UserPolicyExists : RAM_ERRORS.RolePolicyExists);
      const limit =
        t === 'System' ? RAM_LIMITS.systemPoliciesPerPrincipal : RAM_LIMITS.customPoliciesPerPrincipal;
      if (current.filter((a) => a.policy_type === t).length >= limit)
        throw new ApiError(kind === 'User' ? RAM_ERRORS.LimitUserPolicy : RAM_ERRORS.LimitRolePolicy);
      await repos.ram.attach({
        account_id: accountId,
        principal_kind: kind,
        principal_id: id,
        policy_type: t,
        policy_name: policyName,
        attached_at: Date.now(),
      });
    });
  }

  async detach(
    accountId: string,
    kind: PrincipalKind,
    principalName: string,
    type: string,
    policyName: string,
  ) {
    const t = checkPolicyType(type);
    await this.store.transaction(async (repos) => {
      const id = await this.#principalId(repos, accountId, kind, principalName);
      await this.#policyExists(repos, accountId, t, policyName);
      if ((await repos.ram.detach(kind, id, t, policyName)) === 0) throw new ApiError(BY_KIND[kind].missing);
    });
  }

  async listPoliciesFor(accountId: string, kind: PrincipalKind, principalName: string) {
    const id = await this.#principalId(this.store.repos, accountId, kind, principalName);
    const out: Record<string, unknown>[] = [];
    for (const a of await this.store.repos.ram.attachmentsOf(kind, id)) {
      const sys = a.policy_type === 'System' ? systemPolicy(a.policy_name) : undefined;
      const custom =
        a.policy_type === 'Custom'
          ? await this.store.repos.ram.getPolicy(accountId, a.policy_name)
          : undefined;
      out.push({
        PolicyName: a.policy_name,
        PolicyType: a.policy_type,
        Description: sys?.description ?? custom?.description ?? '',
        DefaultVersion: custom?.default_version ?? 'v1',
        AttachDate: isoSeconds(Number(a.attached_at)),
      });
    }
    return out;
  }

  /** The parsed default versions of the policies attached to a user or role (for the authorizer). */
  async effectivePolicies(
    accountId: string,
    kind: PrincipalKind,
    principalId: string,
  ): Promise<PolicyDocument[]> {
    const out: PolicyDocument[] = [];
    for (const a of await this.store.repos.ram.attachmentsOf(kind, principalId)) {
      const text = await this.#policyText(accountId, a.policy_type, a.policy_name);
      if (text !== undefined) out.push(parseStored(text));
    }
    return out;
  }

  // Roles

  async createRole(accountId: string, name: string, trust: string, description: string, maxSession: number) {
    checkName('RoleName', name, 64, NAME);
    checkDescription(description);
    checkDocument(trust, 'trust');
    if (!Number.isInteger(maxSession) || maxSession < 3600 || maxSession > 43200)
      throw new ApiError(RAM_ERRORS.InvalidParameter, { name: 'MaxSessionDuration' });
    return this.store.transaction(async (repos) => {
      if (await repos.ram.getRole(accountId, name)) throw new ApiError(RAM_ERRORS.RoleExists);
      if ((await repos.ram.countRoles(accountId)) >= RAM_LIMITS.rolesPerAccount)
        throw new ApiError(RAM_ERRORS.LimitRole);
      const now = Date.now();
      const row: RamRoleRow = {
        role_id: newRoleId(),
        account_id: accountId,
        role_name: name,
        description,
        trust_policy: trust,
        max_session_duration: maxSession,
        created_at: now,
        updated_at: now,
      };
      await repos.ram.insertRole(row);
      const { UpdateDate: _omit, ...created } = roleView(row);
      return created;
    });
  }

  async getRole(accountId: string, name: string) {
    const row = await this.store.repos.ram.getRole(accountId, name);
    if (!row) throw new ApiError(RAM_ERRORS.RoleNotExist);
    return roleView(row);
  }

  async listRoles(accountId: string) {
    return (await this.store.repos.ram.listRoles(accountId)).map(roleView);
  }

  async deleteRole(accountId: string, name: string) {
    await this.store.transaction(async (repos) => {
      const row = await repos.ram.getRole(accountId, name);
      if (!row) throw new ApiError(RAM_ERRORS.RoleNotExist);
      if ((await repos.ram.attachmentsOf('Role', row.role_id)).length > 0)
        throw new ApiError(RAM_ERRORS.DeleteRolePolicy);
      await repos.ram.deleteRole(row.role_id);
    });
  }

  async #group(repos: Repos, accountId: string, name: string): Promise<RamGroupRow> {
    const row = await repos.ram.getGroup(accountId, name);
    if (!row) throw new ApiError(RAM_ERRORS.GroupNotExist);
    return row;
  }

  // Groups

  async createGroup(accountId: string, name: string, comments: string) {
    checkName('GroupName', name, 64, GROUP_NAME);
    if (comments.length > 128) throw new ApiError(RAM_ERRORS.NameLength, { name: 'Comments' });
    return this.store.transaction(async (repos) => {
      if (await repos.ram.getGroup(accountId, name)) throw new ApiError(RAM_ERRORS.GroupExists);
      if ((await repos.ram.listGroups(accountId)).length >= RAM_LIMITS.groupsPerAccount)
        throw new ApiError(RAM_ERRORS.LimitGroup);
      const now = Date.now();
      const row: RamGroupRow = {
        group_id: newUserId(),
        account_id: accountId,
        group_name: name,
        comments,
        created_at: now,
        updated_at: now,
      };
      await repos.ram.insertGroup(row);
      const { UpdateDate: _omit, ...created } = groupView(row);
      return created;
    });
  }

  async getGroup(accountId: string, name: string) {
    return groupView(await this.#group(this.store.repos, accountId, name));
  }

  async updateGroup(
    accountId: string,
    name: string,
    newName: string | undefined,
    newComments: string | undefined,
  ) {
    if (newName !== undefined) checkName('NewGroupName', newName, 64, GROUP_NAME);
    if (newComments !== undefined && newComments.length > 128)
      throw new ApiError(RAM_ERRORS.NameLength, { name: 'NewComments' });
    return this.store.transaction(async (repos) => {
      const row = await this.#group(repos, accountId, name);
      if (newName !== undefined && newName !== name) {
        if (await repos.ram.getGroup(accountId, newName)) throw new ApiError(RAM_ERRORS.GroupExists);
        row.group_name = newName;
      }
      if (newComments !== undefined) row.comments = newComments;
      row.updated_at = Date.now();
      await repos.ram.updateGroup(row);
      return groupView(row);
    });
  }

  async listGroups(accountId: string) {
    return (await this.store.repos.ram.listGroups(accountId)).map(groupView);
  }

  async deleteGroup(accountId: string, name: string) {
    await this.store.transaction(async (repos) => {
      const row = await this.#group(repos, accountId, name);
      if ((await repos.ram.usersOfGroup(row.group_id)).length > 0)
        throw new ApiError(RAM_ERRORS.DeleteGroupUser);
      if ((await repos.ram.attachmentsOf('Group', row.group_id)).length > 0)
        throw new ApiError(RAM_ERRORS.DeleteGroupPolicy);
      await repos.ram.deleteGroup(row.group_id);
    });
  }

  async addUserToGroup(accountId: string, groupName: string, userName: string) {
    await this.store.transaction(async (repos) => {
      const group = await this.#group(repos, accountId, groupName);
      const user = await this.#user(repos, accountId, userName);
      const joined = await repos.ram.groupsOfUser(user.user_id);
      if (joined.some((g) => g.group_id === group.group_id)) throw new ApiError(RAM_ERRORS.UserGroupExists);
      if (joined.length >= RAM_LIMITS.groupsPerUser) throw new ApiError(RAM_ERRORS.LimitUserGroup);
      await repos.ram.addMember(group.group_id, user.user_id, Date.now());
    });
  }

  async removeUserFromGroup(accountId: string, groupName: string, userName: string) {
    await this.store.transaction(async (repos) => {
      const group = await this.#group(repos, accountId, groupName);
      const user = await this.#user(repos, accountId, userName);
      if ((await repos.ram.removeMember(group.group_id, user.user_id)) === 0)
        throw new ApiError(RAM_ERRORS.UserGroupNotExist);
    });
  }

  async listGroupsForUser(accountId: string, userName: string) {
    const user = await this.#user(this.store.repos, accountId, userName);
    return (await this.store.repos.ram.groupsOfUser(user.user_id)).map((g) => ({
      GroupId: g.group_id,
      GroupName: g.group_name,
      Comments: g.comments,
      JoinDate: isoSeconds(Number(g.joined_at)),
    }));
  }

  async listUsersForGroup(accountId: string, groupName: string) {
    const group = await this.#group(this.store.repos, accountId, groupName);
    return (await this.store.repos.ram.usersOfGroup(group.group_id)).map((u) => ({
      UserName: u.user_name,
      DisplayName: u.display_name,
      JoinDate: isoSeconds(Number(u.joined_at)),
    }));
  }

  /** A user's own policies and those of the groups it is in. */
  async userPolicies(accountId: string, userId: string): Promise<PolicyDocument[]> {
    const out = await this.effectivePolicies(accountId, 'User', userId);
    for (const g of await this.store.repos.ram.groupsOfUser(userId))
      out.push(...(await this.effectivePolicies(accountId, 'Group', g.group_id)));
    return out;
  }

  async #user(repos: Repos, accountId: string, userName: string): Promise<RamUserRow> {
    const row = await repos.ram.getUser(accountId, userName);
    if (!row) throw new ApiError(RAM_ERRORS.UserNotExist);
    return row;
  }

  async #principalId(repos: Repos, accountId: string, kind: PrincipalKind, name: string): Promise<string> {
    if (kind === 'User') return (await this.#user(repos, accountId, name)).user_id;
    if (kind === 'Group') return (await this.#group(repos, accountId, name)).group_id;
    const role = await repos.ram.getRole(accountId, name);
    if (!role) throw new ApiError(RAM_ERRORS.RoleNotExist);
    return role.role_id;
  }

  async #policyExists(repos: Repos, accountId: string, type: PolicyType, name: string): Promise<void> {
    const exists =
      type === 'System'
        ? systemPolicy(name) !== undefined
        : (await repos.ram.getPolicy(accountId, name)) !== undefined;
    if (!exists) throw new ApiError(RAM_ERRORS.PolicyNotExist);
  }

  async #policyText(accountId: string, type: PolicyType, name: string): Promise<string | undefined> {
    if (type === 'System') return systemPolicy(name)?.document;
    const row = await this.store.repos.ram.getPolicy(accountId, name);
    if (!row) return undefined;
    return (await this.store.repos.ram.getPolicyVersion(accountId, name, row.default_version))?.document;
  }
}

/** Stored documents were validated on write; a cache keeps parsing off the request path. */
const parsed = new Map<string, PolicyDocument>();
function parseStored(text: string): PolicyDocument {
  let doc = parsed.get(text);
  if (!doc) {
    doc = parsePolicyDocument(text);
    if (parsed.size > 5000) parsed.clear();
    parsed.set(text, doc);
  }
  return doc;
}

export function checkDocument(text: string, kind: PolicyKind): PolicyDocument {
  if (Buffer.byteLength(text) > RAM_LIMITS.policyDocumentBytes)
    throw new ApiError(RAM_ERRORS.PolicyDocumentLength);
  try {
    return parsePolicyDocument(text, kind);
  } catch (err) {
    if (err instanceof PolicyDocumentError)
      throw new ApiError(RAM_ERRORS.MalformedPolicyDocument, { detail: err.message });
    throw err;
  }
}

function checkName(param: string, value: string, max: number, pattern: RegExp): void {
  if (value.length < 1 || value.length > max) throw new ApiError(RAM_ERRORS.NameLength, { name: param });
  if (!pattern.test(value)) throw new ApiError(RAM_ERRORS.NameInvalidChars, { name: param });
}

function checkUserFields(prefix: '' | 'New', f: UserFields): void {
  if (f.DisplayName !== undefined) checkName(`${prefix}DisplayName`, f.DisplayName, 128, DISPLAY_NAME);
  if (f.MobilePhone !== undefined && !/^\d{1,4}-\d{4,16}$/.test(f.MobilePhone))
    throw new ApiError(RAM_ERRORS.FieldFormat, { name: `${prefix}MobilePhone` });
  if (f.Email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(f.Email))
    throw new ApiError(RAM_ERRORS.FieldFormat, { name: `${prefix}Email` });
  if (f.Comments !== undefined && f.Comments.length > 128)
    throw new ApiError(RAM_ERRORS.NameLength, { name: `${prefix}Comments` });
}

function checkDescription(value: string): void {
  if (Buffer.byteLength(value) > 1024) throw new ApiError(RAM_ERRORS.NameLength, { name: 'Description' });
}

function checkPolicyType(value: string): PolicyType {
  if (value !== 'System' && value !== 'Custom') throw new ApiError(RAM_ERRORS.PolicyType);
  return value;
}

/** Markers are opaque to clients: base64 of the position. */
function encodeMarker(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64');
}
function decodeMarker(marker: string | undefined): string {
  if (!marker) return '';
  return Buffer.from(marker, 'base64').toString('utf8');
}

function userView(r: RamUserRow) {
  return {
    UserId: r.user_id,
    UserName: r.user_name,
    DisplayName: r.display_name,
    MobilePhone: r.mobile_phone,
    Email: r.email,
    Comments: r.comments,
    CreateDate: isoSeconds(Number(r.created_at)),
    UpdateDate: isoSeconds(Number(r.updated_at)),
  };
}

function groupView(r: RamGroupRow) {
  return {
    GroupId: r.group_id,
    GroupName: r.group_name,
    Comments: r.comments,
    CreateDate: isoSeconds(Number(r.created_at)),
    UpdateDate: isoSeconds(Number(r.updated_at)),
  };
}

function roleView(r: RamRoleRow) {
  return {
    RoleId: r.role_id,
    RoleName: r.role_name,
    Arn: `acs:ram::${r.account_id}:role/${r.role_name.toLowerCase()}`,
    Description: r.description,
    AssumeRolePolicyDocument: r.trust_policy,
    MaxSessionDuration: Number(r.max_session_duration),
    CreateDate: isoSeconds(Number(r.created_at)),
    UpdateDate: isoSeconds(Number(r.updated_at)),
  };
}

function systemView(p: (typeof SYSTEM_POLICIES)[number]) {
  return {
    PolicyName: p.name,
    PolicyType: 'System',
    Description: p.description,
    DefaultVersion: 'v1',
    CreateDate: p.createDate,
    UpdateDate: p.createDate,
  };
}

function customView(r: RamPolicyRow) {
  return {
    PolicyName: r.policy_name,
    PolicyType: 'Custom',
    Description: r.description,
    DefaultVersion: r.default_version,
    CreateDate: isoSeconds(Number(r.created_at)),
    UpdateDate: isoSeconds(Number(r.updated_at)),
  };
}
