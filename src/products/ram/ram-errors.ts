/**
 * Errors of the RAM (2015-05-01) and STS (2015-04-01) operations. Codes, statuses and messages are those
 * of RAM's error-code reference ("Error messages": 400 InvalidParameter.*, MalformedPolicyDocument,
 * 403 NoPermission, 404 EntityNotExist.*, 409 EntityAlreadyExists.* / DeleteConflict.* /
 * LimitExceeded.*), kept verbatim, typos included. STS entries marked (inferred) follow the codes the
 * SDKs and tools match on; their messages are not documented in the sources at hand.
 */
import type { CatalogEntry } from '../../protocol/errors.js';

export const RAM_ERRORS = {
  NameInvalidChars: {
    code: 'InvalidParameter.{name}.InvalidChars',
    status: 400,
    message: 'The parameter - "{name}" contains invalid chars.',
  },
  NameLength: {
    code: 'InvalidParameter.{name}.Length',
    status: 400,
    message: 'The parameter - "{name}" beyond the length limit.',
  },
  FieldFormat: {
    code: 'InvalidParameter.{name}.Format',
    status: 400,
    message: 'The format of the parameter - "{name}" is incorrect.',
  },
  InvalidParameter: {
    code: 'InvalidParameter',
    status: 400,
    message: 'The parameter - "{name}" is invalid.',
  },
  PolicyType: {
    code: 'InvalidParameter.PolicyType',
    status: 400,
    message: 'The parameter - "PolicyType" is incorrect.',
  },
  PolicyDocumentLength: {
    code: 'InvalidParameter.PolicyDocument.Length',
    status: 400,
    message: 'The parameter - "PolicyDocument" beyond the length limit.',
  },
  MalformedPolicyDocument: { code: 'MalformedPolicyDocument', status: 400, message: '{detail}' },
  NoPermission: {
    code: 'NoPermission',
    status: 403,
    message: 'You are not authorized to do this action. You should be authorized by RAM.',
  },
  UserNotExist: { code: 'EntityNotExist.User', status: 404, message: 'The user does not exist.' },
  AccessKeyNotExist: {
    code: 'EntityNotExist.User.AccessKey',
    status: 404,
    message: 'The user access key does not exist.',
  },
  UserPolicyNotExist: {
    code: 'EntityNotExist.User.Policy',
    status: 404,
    message: 'The indicate policy of the user does not exist.',
  },
  PolicyNotExist: { code: 'EntityNotExist.Policy', status: 404, message: 'The policy does not exist.' },
  PolicyVersionNotExist: {
    code: 'EntityNotExist.Policy.Version',
    status: 404,
    message: 'The policy version does not exist.',
  },
  // (inferred) by the User/Group pattern of the reference.
  RoleNotExist: { code: 'EntityNotExist.Role', status: 404, message: 'The role does not exist.' },
  RolePolicyNotExist: {
    code: 'EntityNotExist.Role.Policy',
    status: 404,
    message: 'The indicate policy of the role does not exist.',
  },
  GroupNotExist: { code: 'EntityNotExist.Group', status: 404, message: 'The group does not exist.' },
  UserGroupNotExist: {
    code: 'EntityNotExist.User.Group',
    status: 404,
    message: 'The user has not joined the group.',
  },
  GroupPolicyNotExist: {
    code: 'EntityNotExist.Group.Policy',
    status: 404,
    message: 'The indicate policy attached to the group does not exist.',
  },
  GroupExists: { code: 'EntityAlreadyExists.Group', status: 409, message: 'The group does already EXIST.' },
  UserGroupExists: {
    code: 'EntityAlreadyExists.User.Group',
    status: 409,
    message: 'The user has already joined the group.',
  },
  GroupPolicyExists: {
    code: 'EntityAlreadyExists.Group.Policy',
    status: 409,
    message: 'The group has already been attached this policy.',
  },
  DeleteUserGroup: {
    code: 'DeleteConflict.User.Group',
    status: 409,
    message: 'The user CAN NOT be in any group while deleting the user.',
  },
  DeleteGroupUser: {
    code: 'DeleteConflict.Group.User',
    status: 409,
    message: 'The group CAN NOT has any user member while deleting the group.',
  },
  DeleteGroupPolicy: {
    code: 'DeleteConflict.Group.Policy',
    status: 409,
    message: 'The entity CAN NOT has any attached policy while deleting the group.',
  },
  LimitGroup: {
    code: 'LimitExceeded.Group',
    status: 409,
    message: 'The count of groups beyond the current limits.',
  },
  LimitUserGroup: {
    code: 'LimitExceeded.User.Group',
    status: 409,
    message: 'The count of groups the target user joined beyond the current limits.',
  },
  LimitGroupPolicy: {
    code: 'LimitExceeded.Group.Policy',
    status: 409,
    message: 'The policy count of the group beyond the current limits.',
  },
  UserExists: { code: 'EntityAlreadyExists.User', status: 409, message: 'The user does already EXIST.' },
  UserPolicyExists: {
    code: 'EntityAlreadyExists.User.Policy',
    status: 409,
    message: 'The user has already been attached this policy.',
  },
  // The reference's message for a duplicate policy really says "group".
  PolicyExists: { code: 'EntityAlreadyExists.Policy', status: 409, message: 'The group does already EXIST.' },
  // (inferred)
  RoleExists: { code: 'EntityAlreadyExists.Role', status: 409, message: 'The role does already EXIST.' },
  RolePolicyExists: {
    code: 'EntityAlreadyExists.Role.Policy',
    status: 409,
    message: 'The role has already been attached this policy.',
  },
  DeleteUserAccessKey: {
    code: 'DeleteConflict.User.AccessKey',
    status: 409,
    message: 'The user CAN NOT has any access key while deleting the user.',
  },
  DeleteUserPolicy: {
    code: 'DeleteConflict.User.Policy',
    status: 409,
    message: 'The user CAN NOT has any attached policy while deleting the user.',
  },
  DeletePolicyUser: {
    code: 'DeleteConflict.Policy.User',
    status: 409,
    message: 'The policy CAN NOT been attached to any user while deleting the policy.',
  },
  DeletePolicyVersion: {
    code: 'DeleteConflict.Policy.Version',
    status: 409,
    message: 'The policy CAN NOT has any version except the default version.',
  },
  DeleteRolePolicy: {
    code: 'DeleteConflict.Role.Policy',
    status: 409,
    message: 'The role CAN NOT has any attached policy while deleting the role.',
  },
  LimitUser: {
    code: 'LimitExceeded.User',
    status: 409,
    message: 'The count of users beyond the current limits.',
  },
  LimitAccessKey: {
    code: 'LimitExceeded.User.AccessKey',
    status: 409,
    message: 'The access key count of the user access keys beyond the current limits.',
  },
  LimitUserPolicy: {
    code: 'LimitExceeded.User.Policy',
    status: 409,
    message: 'The policy count of the user attached policies beyond the current limits.',
  },
  LimitPolicy: {
    code: 'LimitExceeded.Policy',
    status: 409,
    message: 'The count of policy beyond the current limits.',
  },
  LimitPolicyVersion: {
    code: 'LimitExceeded.Policy.Version',
    status: 409,
    message: 'The count of policy version beyond the current limits.',
  },
  LimitRole: {
    code: 'LimitExceeded.Role',
    status: 409,
    message: 'The count of roles beyond the current limits.',
  },
  LimitRolePolicy: {
    code: 'LimitExceeded.Role.Policy',
    status: 409,
    message: 'The count of policies attached to the role beyond the current limits.',
  },
} as const satisfies Record<string, CatalogEntry>;

export const STS_ERRORS = {
  // (inferred) STS parameter errors.
  RoleArn: {
    code: 'InvalidParameter.RoleArn',
    status: 400,
    message: 'The parameter RoleArn is wrongly formed.',
  },
  RoleSessionName: {
    code: 'InvalidParameter.RoleSessionName',
    status: 400,
    message: 'The parameter RoleSessionName is wrongly formed.',
  },
  DurationSeconds: {
    code: 'InvalidParameter.DurationSeconds',
    status: 400,
    message: 'The Min/Max value of DurationSeconds is 15min/{max}.',
  },
  PolicyGrammar: {
    code: 'InvalidParameter.PolicyGrammar',
    status: 400,
    message: 'The parameter Policy has not passed grammar check. {detail}',
  },
  PolicySize: {
    code: 'InvalidParameter.PolicySize',
    status: 400,
    message: 'The size of Policy must be smaller than 2048 Bytes.',
  },
  RoleNotExist: { code: 'EntityNotExist.Role', status: 404, message: 'The role not exists: {arn}.' },
  // A caller the trust policy does not name, or without sts:AssumeRole on the role.
  NoPermission: {
    code: 'NoPermission',
    status: 403,
    message: 'You are not authorized to do this action. You should be authorized by RAM.',
  },
} as const satisfies Record<string, CatalogEntry>;
