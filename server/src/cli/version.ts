// The version `sptls --version` prints and the CI logs name as the tool's.
export const VERSION = '0.1.0';
