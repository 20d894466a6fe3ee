import { Logger } from '@nestjs/common';
import { bootstrap } from './bootstrap';

// Starts the sample partner users API from the environment (demo mode with OAUTH_ISSUER unset).
// The embedded issuer of the demo is a child process that exits with us (it watches its stdin).
bootstrap(process.env).catch((error: unknown) => {
  Logger.error(error instanceof Error ? error.message : String(error), 'Bootstrap');
  process.exitCode = 1;
});
