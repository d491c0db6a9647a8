/** Every RAM (2015-05-01) operation vpcflow serves. */
import type { Operation } from '../../../protocol/operation.js';
import type { Services } from '../../services.js';
import { createAccessKey, deleteAccessKey, listAccessKeys, updateAccessKey } from './access-keys.js';
import {
  attachPolicyToRole,
  attachPolicyToUser,
  detachPolicyFromRole,
  detachPolicyFromUser,
  listPoliciesForRole,
  listPoliciesForUser,
} from './attachments.js';
import { createPolicy, createPolicyVersion, deletePolicy, getPolicy, listPolicies } from './policies.js';
import { groupOperations } from './groups.js';
import { createRole, deleteRole, getRole, listRoles } from './roles.js';
import { createUser, deleteUser, getUser, listUsers, updateUser } from './users.js';

export const ramOperations: Operation<Services>[] = [
  createUser,
  getUser,
  updateUser,
  listUsers,
  deleteUser,
  createAccessKey,
  listAccessKeys,
  updateAccessKey,
  deleteAccessKey,
  createPolicy,
  getPolicy,
  listPolicies,
  createPolicyVersion,
  deletePolicy,
  attachPolicyToUser,
  detachPolicyFromUser,
  listPoliciesForUser,
  attachPolicyToRole,
  detachPolicyFromRole,
  listPoliciesForRole,
  createRole,
  getRole,
  listRoles,
  deleteRole,
  ...groupOperations,
] as Operation<Services>[];
