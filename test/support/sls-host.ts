// The tests use the same in-process resolution that vpcflow ships as `vpcflow/sls-localhost`.
export { installSlsHostResolution, isSlsLocalHostName } from '../../src/sls-host-resolution.js';
