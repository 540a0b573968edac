// The context every usage event is built with (the instance id and the common properties),
// as a platform on SQLite outside CI would send it: one value for the event tests to share.
import type { EventContext } from '../../lib/events/catalog';

export const EVENT_CONTEXT: EventContext = {
  distinctId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  common: {
    flowforge_version: '0.1.0',
    node_major: 20,
    os_type: 'Linux',
    os_arch: 'x64',
    db_driver: 'sqlite',
    is_ci: false,
    session_id: '5b7c0a8e-1d2f-4c3b-9a8e-7f6d5c4b3a21',
  },
};
