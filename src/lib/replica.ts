import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process's name among the replicas of one database (the holder of the leases it takes): the host, the process
 * id and a random part, so a restarted process never takes itself for the one that died.
 */
export const THIS_REPLICA = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
