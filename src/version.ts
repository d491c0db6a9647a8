/** The vpcflow release, reported by the health endpoint and `vpcflow --version`. */
export const VPCFLOW_VERSION = '0.1.0';
