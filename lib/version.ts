import pkg from '../package.json';

/** The platform version reported in telemetry and shown in the footer. */
export const FLOWFORGE_VERSION: string = pkg.version;
