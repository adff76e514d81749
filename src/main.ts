import { ConfigError, loadConfig } from './config.js';
import { createInfoview, type Infoview, StartError } from './infoview.js';
import { loadEnvFile } from './lib/env-file.js';
import { createLogger } from './lib/logger.js';

// The process: configuration, signals and exit codes. Everything else is built by createInfoview (src/infoview.ts).
async function main(): Promise<void> {
  loadEnvFile();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  // A library promise that rejects outside any listener (a Socket Mode reconnect, say) is logged, never fatal:
  // the process keeps serving everyone else.
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', reason));

  let infoview: Infoview;
  try {
    infoview = await createInfoview(config, { logger });
    await infoview.start();
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    logger.error(`cannot start: ${error.message}`);
    process.exit(1);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: no longer taking requests, finishing work under way`);
    await infoview.stop();
    process.exit(0);
  };
  // `on`, not `once`: under a process manager a signal to the process group can arrive twice (directly and
  // relayed), and an unhandled second one would kill the process halfway through its shutdown.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

await main();
