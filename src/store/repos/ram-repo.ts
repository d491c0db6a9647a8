/** RAM users, custom policies and their versions, roles, policy attachments and STS sessions. */
import type { SqlExecutor } from '../sql-db.js';

export interface RamUserRow {
  user_id: string;
  account_id: string;
  user_name: string;
  display_name: string;
  mobile_phone: string;
  email: string;
  comments: string;
  created_at: number;
  updated_at: number;
}

export interface RamPolicyRow {
  account_id: string;
  policy_name: string;
  description: string;
  default_version: string;
  next_version: number;
  created_at: number;
  updated_at: number;
}

export interface RamPolicyVersionRow {
  account_id: string;
  policy_name: string;
  version_id: string;
  document: string;
  created_at: number;
}

export interface RamRoleRow {
  role_id: string;
  account_id: string;
  role_name: string;
  description: string;
  trust_policy: string;
  max_session_duration: number;
  created_at: number;
  updated_at: number;
}

export interface RamGroupRow {
  group_id: string;
  account_id: string;
  group_name: string;
  comments: string;
  created_at: number;
  updated_at: number;
}

export type PrincipalKind = 'User' | 'Role' | 'Group';
export type PolicyType = 'System' | 'Custom';

export interface RamAttachmentRow {
  account_id: string;
  principal_kind: PrincipalKind;
  principal_id: string;
  policy_type: PolicyType;
  policy_name: string;
  attached_at: number;
}

export interface StsSessionRow {
  access_key_id: string;
  account_id: string;
  secret: string;
  token_hash: string;
  role_id: string;
  role_name: string;
  session_name: string;
  session_policy: string | null;
  created_at: number;
  expires_at: number;
}

export class RamRepo {
  constructor(private readonly db: SqlExecutor) {}

  // Users

  async insertUser(row: RamUserRow): Promise<void> {
    await this.db.run(
      `INSERT INTO ram_users (user_id, account_id, user_name, display_name, mobile_phone, email, comments, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.user_id,
        row.account_id,
        row.user_name,
        row.display_name,
        row.mobile_phone,
        row.email,
        row.comments,
        row.created_at,
        row.updated_at,
      ],
    );
  }

  async updateUser(row: RamUserRow): Promise<void> {
    await this.db.run(
      `UPDATE ram_users SET user_name = ?, display_name = ?, mobile_phone = ?, email = ?, comments = ?, updated_at = ?
       WHERE user_id = ?`,
      [
        row.user_name,
        row.display_name,
        row.mobile_phone,
        row.email,
        row.comments,
        row.updated_at,
        row.user_id,
      ],
    );
  }

  getUser(accountId: string, userName: string): Promise<RamUserRow | undefined> {
    return this.db.get<RamUserRow>('SELECT * FROM ram_users WHERE account_id = ? AND user_name = ?', [
      accountId,
      userName,
    ]);
  }

  getUserById(userId: string): Promise<RamUserRow | undefined> {
    return this.db.get<RamUserRow>('SELECT * FROM ram_users WHERE user_id = ?', [userId]);
  }

  /** Users in name order after `afterName`, at most `limit`. */
  listUsers(accountId: string, afterName: string, limit: number): Promise<RamUserRow[]> {
    return this.db.all<RamUserRow>(
      'SELECT * FROM ram_users WHERE account_id = ? AND user_name > ? ORDER BY user_name LIMIT ?',
      [accountId, afterName, limit],
    );
  }

  async countUsers(accountId: string): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM ram_users WHERE account_id = ?', [
      accountId,
    ]);
    return Number(row?.n ?? 0);
  }

  async deleteUser(userId: string): Promise<void> {
    await this.db.run('DELETE FROM ram_users WHERE user_id = ?', [userId]);
  }

  // Custom policies

  async insertPolicy(row: RamPolicyRow, version: RamPolicyVersionRow): Promise<void> {
    await this.db.run(
      `INSERT INTO ram_policies (account_id, policy_name, description, default_version, next_version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        row.account_id,
        row.policy_name,
        row.description,
        row.default_version,
        row.next_version,
        row.created_at,
        row.updated_at,
      ],
    );
    await this.insertPolicyVersion(version);
  }

  async insertPolicyVersion(v: RamPolicyVersionRow): Promise<void> {
    await this.db.run(
      'INSERT INTO ram_policy_versions (account_id, policy_name, version_id, document, created_at) VALUES (?, ?, ?, ?, ?)',
      [v.account_id, v.policy_name, v.version_id, v.document, v.created_at],
    );
  }

  async updatePolicyVersions(
    accountId: string,
    name: string,
    defaultVersion: string,
    nextVersion: number,
    now: number,
  ): Promise<void> {
    await this.db.run(
      'UPDATE ram_policies SET default_version = ?, next_version = ?, updated_at = ? WHERE account_id = ? AND policy_name = ?',
      [defaultVersion, nextVersion, now, accountId, name],
    );
  }

  getPolicy(accountId: string, name: string): Promise<RamPolicyRow | undefined> {
    return this.db.get<RamPolicyRow>('SELECT * FROM ram_policies WHERE account_id = ? AND policy_name = ?', [
      accountId,
      name,
    ]);
  }

  listPolicies(accountId: string): Promise<RamPolicyRow[]> {
    return this.db.all<RamPolicyRow>('SELECT * FROM ram_policies WHERE account_id = ? ORDER BY policy_name', [
      accountId,
    ]);
  }

  async countPolicies(accountId: string): Promise<number> {
    const row = await this.db.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM ram_policies WHERE account_id = ?',
      [accountId],
    );
    return Number(row?.n ?? 0);
  }

  policyVersions(accountId: string, name: string): Promise<RamPolicyVersionRow[]> {
    return this.db.all<RamPolicyVersionRow>(
      'SELECT * FROM ram_policy_versions WHERE account_id = ? AND policy_name = ? ORDER BY created_at, version_id',
      [accountId, name],
    );
  }

  getPolicyVersion(
    accountId: string,
    name: string,
    versionId: string,
  ): Promise<RamPolicyVersionRow | undefined> {
    return this.db.get<RamPolicyVersionRow>(
      'SELECT * FROM ram_policy_versions WHERE account_id = ? AND policy_name = ? AND version_id = ?',
      [accountId, name, versionId],
    );
  }

  async deletePolicyVersion(accountId: string, name: string, versionId: string): Promise<void> {
    await this.db.run(
      'DELETE FROM ram_policy_versions WHERE account_id = ? AND policy_name = ? AND version_id = ?',
      [accountId, name, versionId],
    );
  }

  async deletePolicy(accountId: string, name: string): Promise<void> {
    await this.db.run('DELETE FROM ram_policy_versions WHERE account_id = ? AND policy_name = ?', [
      accountId,
      name,
    ]);
    await this.db.run('DELETE FROM ram_policies WHERE account_id = ? AND policy_name = ?', [accountId, name]);
  }

  // Roles

  async insertRole(row: RamRoleRow): Promise<void> {
    await this.db.run(
      `INSERT INTO ram_roles (role_id, account_id, role_name, description, trust_policy, max_session_duration, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.role_id,
        row.account_id,
        row.role_name,
        row.description,
        row.trust_policy,
        row.max_session_duration,
        row.created_at,
        row.updated_at,
      ],
    );
  }

  getRole(accountId: string, roleName: string): Promise<RamRoleRow | undefined> {
    return this.db.get<RamRoleRow>(
      'SELECT * FROM ram_roles WHERE account_id = ? AND lower(role_name) = lower(?)',
      [accountId, roleName],
    );
  }

  getRoleById(roleId: string): Promise<RamRoleRow | undefined> {
    return this.db.get<RamRoleRow>('SELECT * FROM ram_roles WHERE role_id = ?', [roleId]);
  }

  listRoles(accountId: string): Promise<RamRoleRow[]> {
    return this.db.all<RamRoleRow>('SELECT * FROM ram_roles WHERE account_id = ? ORDER BY role_name', [
      accountId,
    ]);
  }

  async countRoles(accountId: string): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM ram_roles WHERE account_id = ?', [
      accountId,
    ]);
    return Number(row?.n ?? 0);
  }

  async deleteRole(roleId: string): Promise<void> {
    await this.db.run('DELETE FROM ram_roles WHERE role_id = ?', [roleId]);
  }

  // Attachments

  async attach(row: RamAttachmentRow): Promise<void> {
    await this.db.run(
      `INSERT INTO ram_attachments (account_id, principal_kind, principal_id, policy_type, policy_name, attached_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [
        row.account_id,
        row.principal_kind,
        row.principal_id,
        row.policy_type,
        row.policy_name,
        row.attached_at,
      ],
    );
  }

  async detach(kind: PrincipalKind, principalId: string, type: PolicyType, name: string): Promise<number> {
    const res = await this.db.run(
      'DELETE FROM ram_attachments WHERE principal_kind = ? AND principal_id = ? AND policy_type = ? AND policy_name = ?',
      [kind, principalId, type, name],
    );
    return res.changes;
  }

  /** CascadingDelete: removes a policy from every user and role of the account. */
  async detachEverywhere(accountId: string, type: PolicyType, name: string): Promise<void> {
    await this.db.run(
      'DELETE FROM ram_attachments WHERE account_id = ? AND policy_type = ? AND policy_name = ?',
      [accountId, type, name],
    );
  }

  attachmentsOf(kind: PrincipalKind, principalId: string): Promise<RamAttachmentRow[]> {
    return this.db.all<RamAttachmentRow>(
      'SELECT * FROM ram_attachments WHERE principal_kind = ? AND principal_id = ? ORDER BY attached_at, policy_name',
      [kind, principalId],
    );
  }

  async attachmentCount(accountId: string, type: PolicyType, name: string): Promise<number> {
    const row = await this.db.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM ram_attachments WHERE account_id = ? AND policy_type = ? AND policy_name = ?',
      [accountId, type, name],
    );
    return Number(row?.n ?? 0);
  }

  // Groups

  async insertGroup(row: RamGroupRow): Promise<void> {
    await this.db.run(
      'INSERT INTO ram_groups (group_id, account_id, group_name, comments, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      [row.group_id, row.account_id, row.group_name, row.comments, row.created_at, row.updated_at],
    );
  }

  async updateGroup(row: RamGroupRow): Promise<void> {
    await this.db.run(
      'UPDATE ram_groups SET group_name = ?, comments = ?, updated_at = ? WHERE group_id = ?',
      [row.group_name, row.comments, row.updated_at, row.group_id],
    );
  }

  getGroup(accountId: string, name: string): Promise<RamGroupRow | undefined> {
    return this.db.get<RamGroupRow>('SELECT * FROM ram_groups WHERE account_id = ? AND group_name = ?', [
      accountId,
      name,
    ]);
  }

  listGroups(accountId: string): Promise<RamGroupRow[]> {
    return this.db.all<RamGroupRow>('SELECT * FROM ram_groups WHERE account_id = ? ORDER BY group_name', [
      accountId,
    ]);
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.db.run('DELETE FROM ram_groups WHERE group_id = ?', [groupId]);
  }

  async addMember(groupId: string, userId: string, now: number): Promise<void> {
    await this.db.run('INSERT INTO ram_group_members (group_id, user_id, joined_at) VALUES (?, ?, ?)', [
      groupId,
      userId,
      now,
    ]);
  }

  async removeMember(groupId: string, userId: string): Promise<number> {
    return (
      await this.db.run('DELETE FROM ram_group_members WHERE group_id = ? AND user_id = ?', [groupId, userId])
    ).changes;
  }

  /** The groups a user is in, with the join time. */
  groupsOfUser(userId: string): Promise<Array<RamGroupRow & { joined_at: number }>> {
    return this.db.all(
      `SELECT g.*, m.joined_at FROM ram_group_members m JOIN ram_groups g ON g.group_id = m.group_id
       WHERE m.user_id = ? ORDER BY g.group_name`,
      [userId],
    );
  }

  /** The users of a group, with the join time. */
  usersOfGroup(groupId: string): Promise<Array<RamUserRow & { joined_at: number }>> {
    return this.db.all(
      `SELECT u.*, m.joined_at FROM ram_group_members m JOIN ram_users u ON u.user_id = m.user_id
       WHERE m.group_id = ? ORDER BY u.user_name`,
      [groupId],
    );
  }

  // STS sessions

  async insertSession(row: StsSessionRow): Promise<void> {
    await this.db.run(
      `INSERT INTO sts_sessions (access_key_id, account_id, secret, token_hash, role_id, role_name, session_name,
         session_policy, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.access_key_id,
        row.account_id,
        row.secret,
        row.token_hash,
        row.role_id,
        row.role_name,
        row.session_name,
        row.session_policy,
        row.created_at,
        row.expires_at,
      ],
    );
  }

  getSession(accessKeyId: string): Promise<StsSessionRow | undefined> {
    return this.db.get<StsSessionRow>('SELECT * FROM sts_sessions WHERE access_key_id = ?', [accessKeyId]);
  }

  /** Forgets sessions that expired before `before` (kept a while so their token answers Expired). */
  async purgeSessions(before: number): Promise<number> {
    return (await this.db.run('DELETE FROM sts_sessions WHERE expires_at < ?', [before])).changes;
  }
}
