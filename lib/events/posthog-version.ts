// posthog-node's version, which it sends as $lib_version with every event
// (examples show it; a unit test compares it with the installed package).
export const POSTHOG_NODE_VERSION = '5.70.0';
