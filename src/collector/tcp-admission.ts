import type { AllowList } from './allow-list.js';
import type { Ingest } from './ingest.js';
import { exporterKey } from './naming.js';
import type { TcpHooks } from './tcp-listener.js';

/** the collector's TCP hooks plus the connection counters they keep */
export interface TcpAdmission extends TcpHooks {
  readonly open: number;
  readonly idleClosed: number;
}

/** admits connections from allowed exporters up to `maxConnections` (refusals counted) and feeds their messages in */
export function createTcpAdmission(
  maxConnections: number,
  allowList: AllowList,
  ingest: Ingest,
  withPort: boolean,
): TcpAdmission {
  let open = 0;
  let idleClosed = 0;
  return {
    get open() {
      return open;
    },
    get idleClosed() {
      return idleClosed;
    },
    admit(address) {
      if (!allowList.allows(address)) {
        ingest.count('exporter-not-allowed');
        return false;
      }
      if (open >= maxConnections) {
        ingest.count('tcp-connection-limit');
        return false;
      }
      open++;
      return true;
    },
    offer: (payload, address, port) => ingest.offer(payload, exporterKey(address, port, withPort)),
    closed() {
      open--;
    },
    malformed: () => ingest.count('tcp-malformed'),
    idle() {
      idleClosed++;
    },
  };
}
