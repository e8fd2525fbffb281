import { runCli } from '../run';
import { spoolFlushMain } from '../spool-flush';

runCli('porthole-spool-flush', spoolFlushMain);
