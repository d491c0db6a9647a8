/**
 * System policies: present in every account, read-only, PolicyType `System`. Statements are those of the
 * published policy pages (alibabacloud.com/help/en/ram/developer-reference/<policyname>, "Policy
 * content"), cut to the actions whose services vpcflow serves; a statement that only grants another
 * service (cms:, ram:CreateServiceLinkedRole with service conditions) is left out and noted.
 */
export interface SystemPolicy {
  name: string;
  description: string;
  /** Creation time of the real policy, as the policy page gives it. */
  createDate: string;
  document: string;
}

function doc(statements: object[]): string {
  return JSON.stringify({ Version: '1', Statement: statements }, null, 2);
}

export const SYSTEM_POLICIES: readonly SystemPolicy[] = [
  {
    name: 'AliyunVPCFullAccess',
    description: 'Provides full access to Virtual Private Cloud(VPC) via Management Console.',
    createDate: '2015-12-24T01:37:35Z',
    // Policy page v12 (2023-04-07).
    document: doc([
      {
        Action: [
          'vpc:*HaVip*',
          'vpc:*RouteTable*',
          'vpc:*VRouter*',
          'vpc:*RouteEntry*',
          'vpc:*RouteEntries*',
          'vpc:*VSwitch*',
          'vpc:*Vpc*',
          'vpc:*Cen*',
          'vpc:*Tag*',
          'vpc:*NetworkAcl*',
          'vpc:*FlowLog*',
          'vpc:*Ipv4Gateway*',
          'vpc:*PrefixList*',
          'vpc:*DhcpOptionsSet*',
          'vpc:DeletionProtection',
          'vpc:*TagResource*',
          'vpc:MoveResourceGroup',
        ],
        Resource: '*',
        Effect: 'Allow',
      },
    ]),
  },
  {
    name: 'AliyunVPCReadOnlyAccess',
    description: 'Provides read-only access to Virtual Private Cloud(VPC) via Management Console.',
    createDate: '2015-12-24T01:37:20Z',
    // Policy page v9 (2025-08-07).
    document: doc([
      {
        Action: [
          'vpc:DescribeHaVip*',
          'vpc:DescribeRouteTable*',
          'vpc:DescribeRouteEntry*',
          'vpc:DescribeVSwitch*',
          'vpc:DescribeVRouter*',
          'vpc:DescribeVpc*',
          'vpc:Describe*Cen*',
          'vpc:ListTag*',
          'vpc:DescribeTag*',
          'vpc:DescribeNetworkAcl*',
          'vpc:DescribeFlowLog*',
          'vpc:CheckCanAllocateVpcPrivateIpAddress',
          'vpc:ListIpv4Gateways',
          'vpc:GetIpv4GatewayAttribute',
          'vpc:ListDhcpOptionsSets',
          'vpc:GetDhcpOptionsSet',
        ],
        Resource: '*',
        Effect: 'Allow',
      },
    ]),
  },
  {
    name: 'AliyunLogFullAccess',
    description: 'Provides full access to Log Service via Management Console.',
    createDate: '2016-01-05T06:30:32Z',
    // Policy page v4 (2026-01-09); its ram:CreateServiceLinkedRole and cms: statements are left out.
    document: doc([{ Action: 'log:*', Resource: '*', Effect: 'Allow' }]),
  },
  {
    name: 'AliyunLogReadOnlyAccess',
    description: 'Provides read-only access to Log Service via Management Console.',
    createDate: '2016-01-05T06:30:32Z',
    // SLS "Overview" of RAM policies (sls/developer-reference/overview-5).
    document: doc([{ Action: ['log:Get*', 'log:List*'], Resource: '*', Effect: 'Allow' }]),
  },
  {
    name: 'AliyunECSNetworkInterfaceManagementAccess',
    description: 'Provides management access to ECS elastic network interfaces.',
    createDate: '2018-03-28T00:00:00Z',
    // (inferred) No policy page was found; the actions are the ENI set of AliyunCSManagedNetworkRolePolicy
    // plus the security-group reads an ENI needs.
    document: doc([
      {
        Action: [
          'ecs:CreateNetworkInterface',
          'ecs:DeleteNetworkInterface',
          'ecs:DescribeNetworkInterfaces',
          'ecs:DescribeNetworkInterfaceAttribute',
          'ecs:ModifyNetworkInterfaceAttribute',
          'ecs:AttachNetworkInterface',
          'ecs:DetachNetworkInterface',
          'ecs:AssignPrivateIpAddresses',
          'ecs:UnassignPrivateIpAddresses',
          'ecs:DescribeSecurityGroups',
        ],
        Resource: '*',
        Effect: 'Allow',
      },
    ]),
  },
  {
    name: 'AliyunECSFullAccess',
    description: 'Provides full access to Elastic Compute Service(ECS) via Management Console.',
    createDate: '2015-04-28T16:15:45Z',
    // Cut to its ecs:* statement.
    document: doc([{ Action: 'ecs:*', Resource: '*', Effect: 'Allow' }]),
  },
  {
    name: 'AliyunRAMFullAccess',
    description: 'Provides full access to Resource Access Management(RAM) via Management Console.',
    createDate: '2015-04-28T16:15:45Z',
    document: doc([{ Action: 'ram:*', Resource: '*', Effect: 'Allow' }]),
  },
  {
    name: 'AliyunRAMReadOnlyAccess',
    description: 'Provides read-only access to Resource Access Management(RAM) via Management Console.',
    createDate: '2015-04-28T16:15:45Z',
    // Policy page v3 (2025-12-03), cut to its ram: statement.
    document: doc([
      { Action: ['ram:Get*', 'ram:List*', 'ram:GenerateCredentialReport'], Resource: '*', Effect: 'Allow' },
    ]),
  },
  {
    name: 'AliyunSTSAssumeRoleAccess',
    description: 'Provides access to assume RAM roles through the Security Token Service (STS).',
    createDate: '2015-04-28T16:15:45Z',
    document: doc([{ Action: 'sts:AssumeRole', Resource: '*', Effect: 'Allow' }]),
  },
];

export function systemPolicy(name: string): SystemPolicy | undefined {
  return SYSTEM_POLICIES.find((p) => p.name === name);
}
